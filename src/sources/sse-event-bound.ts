const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;

/**
 * Bounds what an SSE parser would buffer, by watching the raw bytes before it sees them: one
 * line, and one event (its non-comment lines up to the blank line that dispatches it), may not
 * pass `maxBytes`. Without it a line that never ends, or a gzip bomb decoded by fetch, is
 * buffered whole until the process runs out of memory (issue 13 item 1).
 *
 * Lines end at CR, LF or CRLF, even across chunks (the event-stream grammar, WHATWG HTML
 * §9.2.6). Comment lines (`:` heartbeats) never dispatch anything, so they count towards their
 * line only: a stream of heartbeats without blank lines is not an ever-growing event.
 *
 * @example
 * const bound = new SseEventBound(5 * 1024 * 1024);
 * if (!bound.accepts(chunk)) failTheConnection();
 */
export class SseEventBound {
  #lineBytes = 0;
  #eventBytes = 0;
  #lineIsComment = false;
  #afterCr = false;

  constructor(private readonly maxBytes: number) {}

  /** Feeds the next chunk; false as soon as a line or an event passes the bound. */
  accepts(chunk: Uint8Array): boolean {
    const max = this.maxBytes;
    let lineBytes = this.#lineBytes;
    let eventBytes = this.#eventBytes;
    let lineIsComment = this.#lineIsComment;
    let afterCr = this.#afterCr;
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      if (byte === LF || byte === CR) {
        // The LF of a CRLF ends nothing more: the CR already ended the line.
        if (!(byte === LF && afterCr)) {
          if (lineBytes === 0) eventBytes = 0; // a blank line dispatches the event
          lineBytes = 0;
        }
        afterCr = byte === CR;
        continue;
      }
      afterCr = false;
      if (lineBytes === 0) lineIsComment = byte === COLON;
      lineBytes += 1;
      if (!lineIsComment) eventBytes += 1;
      if (lineBytes > max || eventBytes > max) return false;
    }
    this.#lineBytes = lineBytes;
    this.#eventBytes = eventBytes;
    this.#lineIsComment = lineIsComment;
    this.#afterCr = afterCr;
    return true;
  }
}

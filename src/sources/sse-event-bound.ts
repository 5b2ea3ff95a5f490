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
    const length = chunk.length;
    let lineBytes = this.#lineBytes;
    let eventBytes = this.#eventBytes;
    let lineIsComment = this.#lineIsComment;
    let afterCr = this.#afterCr;
    // Line ends are found with native searches and lines counted by length, not byte by byte:
    // this runs on every chunk of the stream.
    let nextLf = chunk.indexOf(LF);
    let nextCr = chunk.indexOf(CR);
    let position = 0;
    while (position < length) {
      if (nextLf !== -1 && nextLf < position) nextLf = chunk.indexOf(LF, position);
      if (nextCr !== -1 && nextCr < position) nextCr = chunk.indexOf(CR, position);
      const end = Math.min(nextLf === -1 ? length : nextLf, nextCr === -1 ? length : nextCr);
      const content = end - position;
      if (content > 0) {
        if (lineBytes === 0) lineIsComment = chunk[position] === COLON;
        lineBytes += content;
        if (!lineIsComment) eventBytes += content;
        if (lineBytes > max || eventBytes > max) return false;
        afterCr = false;
      }
      if (end === length) break;
      const terminator = chunk[end];
      // The LF of a CRLF ends nothing more: the CR already ended the line.
      if (!(terminator === LF && afterCr)) {
        if (lineBytes === 0) eventBytes = 0; // a blank line dispatches the event
        lineBytes = 0;
      }
      afterCr = terminator === CR;
      position = end + 1;
    }
    this.#lineBytes = lineBytes;
    this.#eventBytes = eventBytes;
    this.#lineIsComment = lineIsComment;
    this.#afterCr = afterCr;
    return true;
  }
}

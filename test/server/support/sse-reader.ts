import { request } from "undici";

/** One parsed SSE event. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/** A raw stream connection that records everything it receives. */
export interface SseConnection {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Everything received so far, verbatim. */
  readonly raw: () => string;
  /** Events parsed so far (comments excluded). */
  readonly events: () => readonly SseEvent[];
  /** Resolves when `predicate` holds, checked on every chunk; rejects after `timeoutMs` or if the stream ends first. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

function parseEvents(raw: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of raw.split("\n\n").slice(0, -1)) {
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    if (data.length > 0) events.push({ event, data: data.join("\n") });
  }
  return events;
}

/** Opens `url` as an event stream and records what arrives. */
export async function openSse(url: string, headers: Readonly<Record<string, string>> = {}): Promise<SseConnection> {
  const controller = new AbortController();
  const response = await request(url, { headers: { accept: "text/event-stream", ...headers }, signal: controller.signal });
  let raw = "";
  let ended = false;
  const checks = new Set<() => void>();
  const notify = () => {
    for (const check of [...checks]) check();
  };
  const endedPromise = new Promise<void>((resolve) => {
    response.body.on("end", () => {
      ended = true;
      notify();
      resolve();
    });
    response.body.on("error", () => {
      ended = true;
      notify();
      resolve();
    });
    response.body.on("close", () => {
      ended = true;
      notify();
      resolve();
    });
  });
  response.body.setEncoding("utf8");
  response.body.on("data", (chunk: string) => {
    raw += chunk;
    notify();
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    raw: () => raw,
    events: () => parseEvents(raw),
    ended: endedPromise,
    waitFor(predicate, timeoutMs = 3000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (predicate()) {
            done();
            resolve();
          } else if (ended) {
            done();
            reject(new Error(`The stream ended before the condition held. Received:\n${raw}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`Timed out after ${timeoutMs} ms. Received:\n${raw}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          checks.delete(check);
        };
        checks.add(check);
        check();
      });
    },
    close() {
      controller.abort();
      response.body.destroy();
    },
  };
}

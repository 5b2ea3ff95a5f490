import type { StreamConnectionState } from "rollgate";
import { pollingInterval, STREAM_FALLBACK_POLL_SECONDS, STREAM_VERIFY_POLL_SECONDS } from "../../src/sources/polling-interval";

describe("pollingInterval", () => {
  const table: ReadonlyArray<[boolean, StreamConnectionState, number, number]> = [
    [false, "off", 30, 0],
    [false, "backing-off", 30, 0],
    [true, "off", 30, 30],
    [true, "off", 0, 0],
    [true, "off", 0.5, 0.5],
    // An open stream proves the connection, not the flags: a slow conditional poll vouches for them.
    [true, "open", 30, STREAM_VERIFY_POLL_SECONDS],
    [true, "open", 0, STREAM_VERIFY_POLL_SECONDS],
    [true, "open", 900, 900],
    [true, "connecting", 10, 10],
    [true, "backing-off", 10, 10],
    [true, "stopped", 10, 10],
    [true, "backing-off", 0, STREAM_FALLBACK_POLL_SECONDS],
    [true, "connecting", 0, STREAM_FALLBACK_POLL_SECONDS],
  ];
  it.each(table)("wanted=%p, stream %p, refreshInterval %p s → every %p s", (wanted, stream, refreshInterval, expected) => {
    expect(pollingInterval(wanted, stream, refreshInterval)).toBe(expected);
  });
});

import { MAX_RETRY_AFTER_SECONDS, parseRetryAfter } from "../../src/resilience/retry-after";

const NOW = Date.UTC(2015, 9, 21, 7, 28, 0); // Wed, 21 Oct 2015 07:28:00 GMT

describe("parseRetryAfter", () => {
  it.each<[string, string | null | undefined, number | undefined]>([
    ["reads delay-seconds", "120", 120],
    ["reads zero seconds", "0", 0],
    ["ignores surrounding whitespace", "  7 ", 7],
    ["caps absurd delay-seconds at one hour", "86400", MAX_RETRY_AFTER_SECONDS],
    ["caps delay-seconds too large for a number at one hour", "9".repeat(400), MAX_RETRY_AFTER_SECONDS],
    ["reads an IMF-fixdate as seconds from now", "Wed, 21 Oct 2015 07:29:30 GMT", 90],
    ["reads an RFC 850 date", "Wednesday, 21-Oct-15 07:28:10 GMT", 10],
    ["reads an asctime date as GMT", "Wed Oct 21 07:28:05 2015", 5],
    ["reads an asctime date with a one-digit day", "Thu Oct  1 07:28:00 2015", 0],
    ["rounds a date up to the next whole second", "Wed, 21 Oct 2015 07:28:01 GMT", 1],
    ["reads a date in the past as zero", "Tue, 20 Oct 2015 07:28:00 GMT", 0],
    ["caps a far-future date at one hour", "Fri, 01 Jan 2100 00:00:00 GMT", MAX_RETRY_AFTER_SECONDS],
    ["returns undefined for a missing header", null, undefined],
    ["returns undefined for an undefined header", undefined, undefined],
    ["returns undefined for an empty header", "", undefined],
    ["returns undefined for a blank header", "   ", undefined],
    ["returns undefined for a negative number", "-5", undefined],
    ["returns undefined for a fraction", "1.5", undefined],
    ["returns undefined for words", "soon", undefined],
    ["returns undefined for text that Date.parse would accept", "foo 2", undefined],
    ["returns undefined for an ISO date", "2015-10-21T07:29:00Z", undefined],
    ["returns undefined for a date in a non-GMT zone", "Wed, 21 Oct 2015 07:29:30 PST", undefined],
    ["returns undefined for an impossible date", "Wed, 99 Oct 2015 07:29:30 GMT", undefined],
  ])("%s", (_name, header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });

  it("measures a date from the given time, not from the wall clock", () => {
    const header = "Wed, 21 Oct 2015 07:29:00 GMT";
    expect(parseRetryAfter(header, NOW)).toBe(60);
    expect(parseRetryAfter(header, NOW + 30_000)).toBe(30);
  });
});

import { isRfc3339Timestamp } from "../../src/server/rfc3339";

describe("isRfc3339Timestamp", () => {
  it.each([
    ["2026-02-23T10:15:30.123Z", true],
    ["2026-02-23T10:15:30Z", true],
    ["2026-02-23T10:15:30+00:00", true],
    ["2026-02-23T10:15:30.123456-05:30", true],
    ["2024-02-29T00:00:00Z", true],
    ["2026-02-23 10:15:30Z", false],
    ["2026-02-23t10:15:30Z", false],
    ["2026-02-23T10:15:30", false],
    ["2026-02-23T10:15:30z", false],
    ["2026-02-23T10:15:30+0000", false],
    ["2026-02-23", false],
    ["2025-02-29T00:00:00Z", false],
    ["2026-13-01T00:00:00Z", false],
    ["2026-02-23T24:00:00Z", false],
    ["2026-02-23T10:60:00Z", false],
    ["2026-02-23T10:15:60Z", false],
    ["1708683330", false],
  ])("%s → %s", (text, expected) => {
    expect(isRfc3339Timestamp(text)).toBe(expected);
  });
});

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,]\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Whether `text` is a timestamp Go's `time.Time` accepts from JSON (RFC 3339 with an upper-case
 * `T` and `Z` or a `±hh:mm` offset, optional fraction), as the reference server requires for
 * conversion events (PROTOCOL.md §1.5). `toISOString()` output and Python's `+00:00` pass;
 * `2026-02-23 10:15:30` does not.
 *
 * @example
 * isRfc3339Timestamp("2026-02-23T10:15:30.123Z"); // true
 */
export function isRfc3339Timestamp(text: string): boolean {
  const match = RFC3339.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (match[7] !== undefined && (Number(match[7]) > 23 || Number(match[8]) > 59)) return false;
  return true;
}

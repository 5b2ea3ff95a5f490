/**
 * Formats a float64 as Go's `%v` does (`strconv.FormatFloat(x, 'g', -1, 64)`), PROTOCOL.md §3.4:
 * the shortest decimal that reads back as the same number, in exponent form when the decimal
 * exponent is below −4 or at least 6 (the exponent has a sign and at least two digits).
 *
 * @example
 * goFormatFloat(18); // "18"
 * goFormatFloat(1000000); // "1e+06"
 * goFormatFloat(0.00001); // "1e-05"
 */
export function goFormatFloat(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e6) {
    // JavaScript also prints the shortest round-trip digits, in fixed notation on this range.
    return String(value);
  }
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  if (value !== value) return "NaN";
  if (magnitude === Infinity) return value > 0 ? "+Inf" : "-Inf";
  // toExponential() without an argument gives the shortest round-trip digits too: "1.234567e+6".
  const exponential = value.toExponential();
  const marker = exponential.indexOf("e");
  const exponentDigits = exponential.slice(marker + 2);
  return `${exponential.slice(0, marker + 2)}${exponentDigits.length < 2 ? "0" : ""}${exponentDigits}`;
}

import { isIPv4, isIPv6 } from "node:net";

/**
 * Whether a bound address (as `server.address()` reports it) accepts only local connections:
 * 127.0.0.0/8, `::1`, or an IPv4-mapped loopback. `0.0.0.0` and `::` listen everywhere.
 *
 * @example
 * isLoopbackAddress("127.0.0.1"); // true
 * isLoopbackAddress("0.0.0.0");   // false
 */
export function isLoopbackAddress(address: string): boolean {
  if (isIPv4(address)) return address.startsWith("127.");
  if (!isIPv6(address)) return false;
  const lower = address.toLowerCase();
  if (lower === "::1" || lower === "0:0:0:0:0:0:0:1") return true;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  return mapped?.[1] !== undefined && mapped[1].startsWith("127.");
}

import { isLoopbackAddress } from "../../src/server/is-loopback-address";

describe("isLoopbackAddress", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["::1", true],
    ["0:0:0:0:0:0:0:1", true],
    ["::ffff:127.0.0.1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["10.0.0.5", false],
    ["::ffff:10.0.0.5", false],
    ["fe80::1", false],
    ["128.0.0.1", false],
  ])("%s → %p", (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});

import { MAX_METADATA_JSON_BYTES, toConversionEvent as toSizedEvent } from "../../src/events/to-conversion-event";

/** The event alone (its size is checked in its own test). */
const toConversionEvent = (input: unknown, at: number) => {
  const result = toSizedEvent(input, at);
  return "event" in result ? result.event : result;
};

const valid = { flagKey: "checkout-redesign", eventName: "purchase", userId: "user-123" };
const AT = Date.UTC(2026, 1, 23, 10, 15, 30, 123);

describe("toConversionEvent", () => {
  it("builds the wire event, timestamped at the call, with absent fields left out", () => {
    expect(toConversionEvent(valid, AT)).toStrictEqual({ ...valid, timestamp: "2026-02-23T10:15:30.123Z" });
    expect(toConversionEvent({ ...valid, variationId: "b", value: 29.99, metadata: { currency: "EUR", items: [1, 2], nested: { ok: true, none: null } } }, AT)).toStrictEqual({
      ...valid,
      variationId: "b",
      value: 29.99,
      metadata: { currency: "EUR", items: [1, 2], nested: { ok: true, none: null } },
      timestamp: "2026-02-23T10:15:30.123Z",
    });
    const withUndefined = toConversionEvent({ ...valid, variationId: undefined, value: undefined, metadata: undefined }, AT);
    expect(Object.keys(withUndefined)).toEqual(["flagKey", "eventName", "userId", "timestamp"]);
  });

  it("always writes an RFC 3339 timestamp with T and Z, at the virtual epoch too", () => {
    expect(toConversionEvent(valid, 0)).toMatchObject({ timestamp: "1970-01-01T00:00:00.000Z" });
    expect(toConversionEvent(valid, 12.5)).toMatchObject({ timestamp: "1970-01-01T00:00:00.012Z" });
  });

  it("copies metadata, so that later changes by the caller do not leak into the queued event", () => {
    const metadata = { currency: "EUR", cart: { items: 2 } };
    const event = toConversionEvent({ ...valid, metadata }, AT);
    metadata.cart.items = 99;
    expect(event).toMatchObject({ metadata: { currency: "EUR", cart: { items: 2 } } });
  });

  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const twice: Record<string, unknown> = {};
  twice.a = twice;
  twice.b = twice;
  const sparse = [1, 2, 3];
  delete sparse[1];

  it.each([
    ["not an object", "purchase", "event"],
    ["null", null, "event"],
    ["an array", [valid], "event"],
    ["a missing flagKey", { eventName: "e", userId: "u" }, "flagKey"],
    ["an empty flagKey", { ...valid, flagKey: "" }, "flagKey"],
    ["a numeric eventName", { ...valid, eventName: 3 }, "eventName"],
    ["an empty userId", { ...valid, userId: "" }, "userId"],
    ["a userId over 1024 characters", { ...valid, userId: "u".repeat(1025) }, "userId"],
    ["an empty variationId", { ...valid, variationId: "" }, "variationId"],
    ["a null variationId", { ...valid, variationId: null }, "variationId"],
    ["a NaN value", { ...valid, value: Number.NaN }, "value"],
    ["an infinite value", { ...valid, value: Number.POSITIVE_INFINITY }, "value"],
    ["a string value", { ...valid, value: "29.99" }, "value"],
    ["array metadata", { ...valid, metadata: ["a"] }, "metadata"],
    ["metadata holding a function", { ...valid, metadata: { f: () => 1 } }, "metadata"],
    ["metadata holding a Date", { ...valid, metadata: { at: new Date(0) } }, "metadata"],
    ["metadata holding NaN", { ...valid, metadata: { n: Number.NaN } }, "metadata"],
    ["metadata holding undefined", { ...valid, metadata: { u: undefined } }, "metadata"],
    ["cyclic metadata", { ...valid, metadata: cyclic }, "metadata"],
    ["metadata over the size limit", { ...valid, metadata: { blob: "x".repeat(MAX_METADATA_JSON_BYTES) } }, "metadata"],
    ["metadata over the size limit in UTF-8 bytes, though not in characters", { ...valid, metadata: { blob: "€".repeat(3_000) } }, "metadata"],
    ["metadata that refers to itself twice (an exponential walk, bounded)", { ...valid, metadata: twice }, "metadata"],
    ["a sparse array in metadata", { ...valid, metadata: { items: sparse } }, "metadata"],
  ])("refuses %s, naming the field", (_what, input, field) => {
    expect(toConversionEvent(input, AT)).toMatchObject({ field, expected: expect.any(String) });
  });

  it("measures metadata in UTF-8 bytes: 8 KiB of JSON is accepted, one byte more is not", () => {
    const wrapper = JSON.stringify({ blob: "" }).length;
    const room = MAX_METADATA_JSON_BYTES - wrapper;
    const fits = { blob: "é".repeat(Math.floor(room / 2)) + "x".repeat(room % 2) };
    expect(Buffer.byteLength(JSON.stringify(fits))).toBe(MAX_METADATA_JSON_BYTES);
    expect(toConversionEvent({ ...valid, metadata: fits }, AT)).toMatchObject({ metadata: fits });
    expect(toConversionEvent({ ...valid, metadata: { blob: `${fits.blob}x` } }, AT)).toMatchObject({ field: "metadata" });
  });

  it("gives each event's size as UTF-8 JSON, the unit of a batch's byte bound", () => {
    const result = toSizedEvent({ ...valid, metadata: { city: "Zürich" } }, AT);
    if (!("event" in result)) throw new Error("expected an event");
    expect(result.bytes).toBe(Buffer.byteLength(JSON.stringify(result.event)));
    expect(result.bytes).toBe(JSON.stringify(result.event).length + 1);
  });

  it("reads each field once: a getter that changes its answer cannot slip past the check", () => {
    let reads = 0;
    const metadata = Object.defineProperty({}, "amount", { enumerable: true, get: () => (reads++ === 0 ? 1 : BigInt(1)) });
    expect(toConversionEvent({ ...valid, metadata }, AT)).toMatchObject({ metadata: { amount: 1 } });
    expect(reads).toBe(1);
  });

  it("refuses input that throws when read as unreadable, instead of throwing", () => {
    const input = Object.defineProperty({ ...valid }, "eventName", { enumerable: true, get: () => { throw new Error("hostile"); } });
    expect(toConversionEvent(input, AT)).toMatchObject({ field: "event", unreadable: true });
  });
});

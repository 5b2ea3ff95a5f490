import type { RollgateClient } from "rollgate";
import { useClientSuite } from "../support/client-suite";
import { RecordingLogger } from "../support/test-client";

/**
 * `track()` never throws, whatever it is given (issue 22.3): an event that cannot be read (a
 * throwing getter, a Proxy whose traps throw, a revoked Proxy, metadata that changes under the
 * reader) is dropped, counted as invalid, with one warning for all of them; nothing reaches the
 * server. Through the client and through a `forUser` view, against the local server.
 */
describe("track() with hostile input", () => {
  const suite = useClientSuite();
  const base = { flagKey: "new-feature", eventName: "purchase", userId: "user-1" };

  const boom = (): never => {
    throw new Error("hostile");
  };
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  const deep = (levels: number): Record<string, unknown> => {
    let value: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < levels; i++) value = { next: value };
    return value;
  };

  const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));

  /** Each builds a fresh event, so that a stateful one is hostile on every call. */
  const hostile: [string, () => unknown][] = [
    ["a throwing getter on flagKey", () => Object.defineProperty({ ...base }, "flagKey", { enumerable: true, get: boom })],
    ["a throwing getter on eventName", () => Object.defineProperty({ ...base }, "eventName", { enumerable: true, get: boom })],
    ["a throwing getter on value", () => Object.defineProperty({ ...base }, "value", { enumerable: true, get: boom })],
    ["a throwing getter on metadata", () => Object.defineProperty({ ...base }, "metadata", { enumerable: true, get: boom })],
    ["a throwing getter inside metadata", () => ({ ...base, metadata: Object.defineProperty({}, "currency", { enumerable: true, get: boom }) })],
    ["a throwing getter deep inside metadata", () => ({ ...base, metadata: { cart: { items: [Object.defineProperty({}, "sku", { enumerable: true, get: boom })] } } })],
    ["a Proxy whose get throws", () => new Proxy({ ...base }, { get: boom })],
    ["metadata as a Proxy whose ownKeys throws", () => ({ ...base, metadata: new Proxy({}, { ownKeys: boom }) })],
    ["metadata as a Proxy whose getPrototypeOf throws", () => ({ ...base, metadata: new Proxy({}, { getPrototypeOf: boom }) })],
    ["a revoked Proxy as the event", revoked],
    ["a revoked Proxy as metadata", () => ({ ...base, metadata: revoked() })],
    ["metadata that refers to itself under two keys", () => ({ ...base, metadata: (() => { const m: Record<string, unknown> = {}; m["a"] = m; m["b"] = m; return m; })() })],
    ["metadata with 100,000 keys", () => ({ ...base, metadata: wide })],
    ["a flagKey of 2 MB", () => ({ ...base, flagKey: "f".repeat(2_000_000) })],
    ["metadata with a toJSON that throws", () => ({ ...base, metadata: { toJSON: boom } })],
    ["a Symbol.toPrimitive that throws on flagKey", () => ({ ...base, flagKey: { [Symbol.toPrimitive]: boom } })],
    ["a cyclic metadata", () => ({ ...base, metadata: (() => { const m: Record<string, unknown> = {}; m["self"] = m; return m; })() })],
    ["metadata nested 10,000 levels deep", () => ({ ...base, metadata: deep(10_000) })],
    ["a BigInt value", () => ({ ...base, value: BigInt(3) })],
    ["an event with a throwing getter on its prototype", () => Object.create(Object.defineProperty({}, "flagKey", { get: boom }), { eventName: { value: "e", enumerable: true }, userId: { value: "u", enumerable: true } })],
  ];

  /** Hostile, but every field reads fine one by one: these are queued as the events they are. */
  const readable: [string, () => unknown][] = [
    ["a Proxy whose ownKeys throws", () => new Proxy({ ...base }, { ownKeys: boom })],
    ["a Proxy whose getOwnPropertyDescriptor throws", () => new Proxy({ ...base }, { getOwnPropertyDescriptor: boom })],
    ["a class instance with the fields as getters", () => new (class { get flagKey() { return base.flagKey; } get eventName() { return base.eventName; } get userId() { return base.userId; } })()],
  ];

  async function expectAllDropped(track: (event: unknown) => boolean, client: RollgateClient, logger: RecordingLogger): Promise<void> {
    for (const [name, make] of hostile) {
      let queued: boolean | undefined;
      expect(() => (queued = track(make()))).not.toThrow();
      if (queued !== false) throw new Error(`${name}: expected track() to return false, got ${String(queued)}`);
    }
    expect(client.getStatus().events).toMatchObject({ invalid: hostile.length, queued: 0 });
    for (const [name, make] of readable) {
      let queued: boolean | undefined;
      expect(() => (queued = track(make()))).not.toThrow();
      if (queued !== true) throw new Error(`${name}: expected track() to queue it, got ${String(queued)}`);
    }
    // A plain event still goes through after all of that.
    expect(track({ ...base })).toBe(true);
    await client.flushEvents();
    expect(suite.server.received.events).toHaveLength(readable.length + 1);
    expect(suite.server.received.events.every((e) => e["flagKey"] === base.flagKey && e["eventName"] === base.eventName)).toBe(true);
    const warnings = logger.messages.filter((m) => m.level === "warn").map((m) => m.message);
    expect(warnings.filter((m) => m.includes("could not be read"))).toHaveLength(1);
    // One warning per kind of problem, never one per event.
    expect(new Set(warnings).size).toBe(warnings.length);
    expect(warnings.join("\n")).not.toContain("hostile");
  }

  it("client.track drops every one of them without throwing, counted as invalid, with one warning", async () => {
    const logger = new RecordingLogger();
    const client = suite.client({ logger });
    await client.init();
    await expectAllDropped((event) => client.track(event as never), client, logger);
  });

  it("a forUser view's track drops every one of them without throwing, counted as invalid, with one warning", async () => {
    const logger = new RecordingLogger();
    const client = suite.client({ logger });
    await client.init();
    const view = await client.forUser({ id: "viewer-1" });
    await expectAllDropped((event) => view.track(event as never), client, logger);
    expect(suite.server.received.events.map((e) => e["userId"])).toEqual(readable.map(() => "viewer-1").concat("viewer-1"));
  });
});

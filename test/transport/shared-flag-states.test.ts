import type { RollgateServer } from "rollgate/server";
import { defaultLogger } from "../../src/logger/logger";
import { HttpFlagsTransport } from "../../src/transport/http-flags-transport";
import type { FlagsResponse } from "../../src/transport/flags-transport";
import { startTestServer } from "../support/test-client";

/**
 * Per-request users whose flags mostly agree share the decoded state objects of the flags that
 * agree, and the index of their keys when the server sends the same keys in the same order,
 * instead of each holding copies: less to allocate per new user, less heap per cached user.
 */
describe("HttpFlagsTransport: equal flag states shared across users", () => {
  let server: RollgateServer;
  let transport: HttpFlagsTransport;
  beforeEach(async () => {
    server = await startTestServer();
    transport = new HttpFlagsTransport({
      baseUrl: server.url,
      apiKey: server.apiKey,
      maxPayloadBytes: 1 << 20,
      logger: defaultLogger,
      dispatcher: undefined,
      now: () => 0,
    });
  });
  afterEach(async () => {
    await transport.close();
    await server.close();
  });

  const flagsOf = async (user: { id: string; attributes?: { plan: string } }) => {
    const response: FlagsResponse = await transport.fetchFlags({ user, etag: undefined }, new AbortController().signal);
    if (response.kind !== "updated") throw new Error("expected flags");
    return response.flags;
  };

  it("reuses another user's state for a flag that evaluates the same, and never for one that differs", async () => {
    const pro = await flagsOf({ id: "user-1", attributes: { plan: "pro" } });
    const free = await flagsOf({ id: "user-2", attributes: { plan: "free" } });
    for (const key of ["new-feature", "off-feature", "results-per-page", "feature-config", "disabled-string"]) {
      expect(free.get(key)).toBe(pro.get(key));
    }
    expect(pro.get("pro-only")).toMatchObject({ enabled: true, reason: { kind: "RULE_MATCH", ruleId: "pro-rule" } });
    expect(free.get("pro-only")).toMatchObject({ enabled: false });
    expect(pro.get("theme")!.value).toBe("dark");
    expect(free.get("theme")!.value).toBe("light");
    expect(free.order).toBe(pro.order);
    // Each user's answer is still its own: asking again for the pro user gives the pro flags.
    const proAgain = await flagsOf({ id: "user-1", attributes: { plan: "pro" } });
    expect(proAgain.get("theme")!.value).toBe("dark");
    expect(proAgain.get("feature-config")).toBe(pro.get("feature-config"));
  });
});

describe("HttpFlagsTransport: the same body for another user", () => {
  it("is not parsed again: both users share the decoded flags", async () => {
    const server = await startTestServer();
    const transport = new HttpFlagsTransport({ baseUrl: server.url, apiKey: server.apiKey, maxPayloadBytes: 1 << 20, logger: defaultLogger, dispatcher: undefined, now: () => 0 });
    try {
      const flagsOf = async (id: string) => {
        const response = await transport.fetchFlags({ user: { id, attributes: { plan: "free" } }, etag: undefined }, new AbortController().signal);
        if (response.kind !== "updated") throw new Error("expected flags");
        return response.flags;
      };
      // Neither user is targeted: the server evaluates the same flags for both.
      const first = await flagsOf("user-2");
      const second = await flagsOf("user-3");
      expect(second).toBe(first);
      expect(second.get("theme")!.value).toBe("light");
    } finally {
      await transport.close();
      await server.close();
    }
  });
});

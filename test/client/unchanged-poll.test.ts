import type { RollgateEvent } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { clientFor, startTestServer } from "../support/test-client";

// The v2 endpoint sends no ETag, so every poll is a full 200: a body byte-identical to the last
// one decoded must not be parsed and validated again (issue 13, item 21).
describe("a poll whose body is unchanged", () => {
  let server: RollgateServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("reuses the decoded flags: same served object, no flags-updated event", async () => {
    const client = clientFor(server, { refreshInterval: 0 });
    await client.init();
    const events: RollgateEvent[] = [];
    client.events$.subscribe((event) => events.push(event));
    const before = client.getAllFlags();
    await client.refresh();
    await client.refresh();
    expect(server.received.requests.filter((r) => r.path === "/api/v1/sdk/v2/flags")).toHaveLength(3);
    expect(client.getAllFlags()).toBe(before);
    expect(events.filter((e) => e.type === "flags-updated" || e.type === "flag-changed")).toEqual([]);
    expect(client.getStatus().stale).toBe(false);
    await client.close();
  });

  it("decodes a changed body, and a body for another user, anew", async () => {
    const client = clientFor(server, { refreshInterval: 0 });
    await client.init();
    const before = client.getAllFlags();
    server.setFlag({ key: "new-feature", enabled: false, rolloutPercentage: 100 });
    await client.refresh();
    const changed = client.getAllFlags();
    expect(changed).not.toBe(before);
    expect(changed["new-feature"]).toBe(false);

    await client.identify({ id: "alice", attributes: { plan: "pro" } });
    expect(client.getAllFlags()).not.toBe(changed);
    expect(client.isEnabled("pro-only", false)).toBe(true);
    await client.identify({ id: "bob", attributes: { plan: "free" } });
    expect(client.isEnabled("pro-only", true)).toBe(false);
    await client.close();
  });
});

import { firstValueFrom, take, toArray, type Observable } from "rxjs";
import { AuthenticationError, PayloadError, RollgateClient, type RollgateEvent } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { clientFor, flagRequests, RecordingLogger, startTestServer } from "../support/test-client";
import { eventually, VirtualClock } from "../support/virtual-clock";

describe("RollgateClient against the local server", () => {
  let server: RollgateServer;
  const clients: RollgateClient[] = [];
  const track = (client: RollgateClient) => (clients.push(client), client);

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
  });

  describe("getters", () => {
    it("answer every default before init, without touching the network", () => {
      const client = track(clientFor(server));
      expect(client.isEnabled("new-feature", true)).toBe(true);
      expect(client.isEnabled("new-feature", false)).toBe(false);
      expect(client.getValue("theme", "fallback")).toBe("fallback");
      expect(client.getString("theme", "x")).toBe("x");
      expect(client.getNumber("results-per-page", 7)).toBe(7);
      expect(client.getJson("feature-config", { a: 1 })).toEqual({ a: 1 });
      expect(client.getAllFlags()).toEqual({});
      expect(client.isEnabledDetail("new-feature", false).reason).toEqual({ kind: "ERROR", errorKind: "CLIENT_NOT_READY" });
      expect(flagRequests(server)).toHaveLength(0);
    });

    it("serve booleans, strings, numbers and JSON from the typed endpoint after init", async () => {
      const client = track(clientFor(server));
      await client.init();
      expect(client.isEnabled("new-feature", false)).toBe(true);
      expect(client.isEnabled("off-feature", true)).toBe(false);
      expect(client.getValue("theme", "x")).toBe("light");
      expect(client.getString("theme", "x")).toBe("light");
      expect(client.getNumber("results-per-page", 7)).toBe(50);
      expect(client.getJson("feature-config", {})).toEqual({ enabled: true, max_items: 10, allowed_roles: ["admin"] });
      expect(client.getValue("results-per-page", 0)).toBe(50);
      expect(client.getValue("feature-config", null)).toEqual({ enabled: true, max_items: 10, allowed_roles: ["admin"] });
    });

    it("return the default for a missing flag, a wrong type and a typed flag that is not enabled", async () => {
      const client = track(clientFor(server));
      await client.init();
      expect(client.isEnabled("nope", true)).toBe(true);
      expect(client.getString("results-per-page", "d")).toBe("d");
      expect(client.getNumber("theme", 3)).toBe(3);
      expect(client.getJson("theme", { d: true })).toEqual({ d: true });
      expect(client.getValue("theme", 12)).toBe(12);
      expect(client.getString("disabled-string", "default")).toBe("default");
      expect(client.isEnabled("disabled-string", true)).toBe(false);
    });

    it("never throw, whatever they are given", async () => {
      const client = track(clientFor(server));
      await client.init();
      const weird: unknown[] = [undefined, null, 42, {}, Symbol("s"), "__proto__", "constructor", ""];
      for (const key of weird) {
        expect(() => client.isEnabled(key as string, false)).not.toThrow();
        expect(() => client.getValue(key as string, undefined)).not.toThrow();
        expect(() => client.getJson(key as string, {})).not.toThrow();
      }
      expect(client.isEnabled("__proto__", false)).toBe(false);
    });

    it("hand out frozen JSON values that callers cannot corrupt", async () => {
      const client = track(clientFor(server));
      await client.init();
      const config = client.getJson<{ max_items?: number }>("feature-config", {});
      expect(Object.isFrozen(config)).toBe(true);
      expect(() => {
        (config as { max_items: number }).max_items = 99;
      }).toThrow(TypeError);
      expect(client.getJson<{ max_items?: number }>("feature-config", {}).max_items).toBe(10);
    });

    it("list every flag's served value in getAllFlags, false for a typed flag that is off", async () => {
      const client = track(clientFor(server));
      await client.init();
      expect(client.getAllFlags()).toEqual({
        "new-feature": true,
        "off-feature": false,
        "pro-only": false,
        theme: "light",
        "results-per-page": 50,
        "feature-config": { enabled: true, max_items: 10, allowed_roles: ["admin"] },
        "disabled-string": false,
        "user-target": false,
      });
      expect(client.getAllFlags()).toBe(client.getAllFlags());
    });

    it("explain values with the server's reasons, UNKNOWN for a missing flag and WRONG_TYPE for a mismatch", async () => {
      const client = track(clientFor(server, { user: { id: "u1", attributes: { plan: "pro" } } }));
      await client.init();
      expect(client.isEnabledDetail("off-feature", true)).toEqual({ value: false, reason: { kind: "OFF" } });
      expect(client.isEnabledDetail("pro-only", false)).toEqual({
        value: true,
        reason: { kind: "RULE_MATCH", ruleId: "pro-rule", ruleIndex: 0, inRollout: true },
      });
      expect(client.getValueDetail("new-feature", false).reason).toEqual({ kind: "FALLTHROUGH", inRollout: true });
      expect(client.getValueDetail("missing", "d")).toEqual({ value: "d", reason: { kind: "UNKNOWN" } });
      expect(client.getValueDetail("theme", 5)).toEqual({ value: 5, reason: { kind: "ERROR", errorKind: "WRONG_TYPE" } });
    });

    it("keep answering from the last snapshot after close()", async () => {
      const client = clientFor(server);
      await client.init();
      await client.close();
      expect(client.isEnabled("new-feature", false)).toBe(true);
      expect(client.getString("theme", "x")).toBe("light");
      expect(client.getStatus().closed).toBe(true);
    });
  });

  describe("requests", () => {
    it("send the key as a bearer token, the SDK headers, user_id and X-User-Context", async () => {
      const client = track(clientFor(server, { user: { id: "user-42", email: "ana@example.com", attributes: { plan: "pro" } } }));
      await client.init();
      const [request] = flagRequests(server);
      expect(request).toBeDefined();
      expect(request!.path).toBe("/api/v1/sdk/v2/flags");
      expect(request!.query).toEqual({ user_id: "user-42" });
      expect(request!.headers.authorization).toBe(true);
      expect(request!.headers["x-sdk-name"]).toBe("rollgate-node");
      expect(request!.headers["user-agent"]).toMatch(/^rollgate-node\/\d+\.\d+\.\d+/);
      expect(request!.headers.accept).toBe("application/json");
      const context = JSON.parse(Buffer.from(request!.headers["x-user-context"]!, "base64").toString("utf8"));
      expect(context).toEqual({ id: "user-42", email: "ana@example.com", attributes: { plan: "pro" } });
      expect(client.getString("theme", "x")).toBe("dark");
    });

    it("fall back to v1 booleans for the life of the client when v2 answers 404, logging it once", async () => {
      await server.close();
      server = await startTestServer({ v2: false });
      const logger = new RecordingLogger();
      const client = track(clientFor(server, { logger }));
      await client.init();
      expect(client.isEnabled("new-feature", false)).toBe(true);
      expect(client.getString("theme", "x")).toBe("x");
      expect(client.isEnabledDetail("off-feature", true).reason).toEqual({ kind: "OFF" });
      await client.refresh();
      await client.refresh();
      const paths = flagRequests(server).map((r) => r.path);
      expect(paths).toEqual(["/api/v1/sdk/v2/flags", "/api/v1/sdk/flags", "/api/v1/sdk/flags", "/api/v1/sdk/flags"]);
      expect(flagRequests(server)[1]!.query.withReasons).toBe("true");
      expect(logger.messages.filter((m) => m.message.includes("v2 answered 404"))).toHaveLength(1);
    });

    it("reuse the ETag: If-None-Match on the next request, and a 304 keeps the flags", async () => {
      await server.close();
      server = await startTestServer({ v2: false });
      const client = track(clientFor(server));
      await client.init();
      await client.refresh();
      const [, first, second] = flagRequests(server);
      expect(first!.status).toBe(200);
      expect(second!.headers["if-none-match"]).toMatch(/^"[0-9a-f]{16}"$/);
      expect(second!.status).toBe(304);
      expect(client.isEnabled("new-feature", false)).toBe(true);
      expect(client.getStatus()).toMatchObject({ source: "server", stale: false });
    });

    it("send If-None-Match to a typed endpoint that gives ETags", async () => {
      await server.close();
      server = await startTestServer({ v2ETag: true });
      const client = track(clientFor(server));
      await client.init();
      await client.refresh();
      const requests = flagRequests(server);
      expect(requests[1]!.headers["if-none-match"]).toBeDefined();
      expect(requests[1]!.status).toBe(304);
      expect(client.getString("theme", "x")).toBe("light");
    });

    it("keep the last good snapshot when a 200 body is malformed, and report a PayloadError", async () => {
      const client = track(clientFor(server));
      await client.init();
      const errors: RollgateEvent[] = [];
      client.on("error", (e) => errors.push(e));
      for (const kind of ["not-json", "html", "no-flags", "schema"] as const) {
        server.faults.malformed(kind, { count: 1 });
        await client.refresh();
        expect(client.getString("theme", "x")).toBe("light");
        expect(client.isEnabled("new-feature", false)).toBe(true);
      }
      expect(errors).toHaveLength(4);
      for (const event of errors) expect(event.type === "error" && event.error).toBeInstanceOf(PayloadError);
      expect(client.getStatus().lastError).toBeInstanceOf(PayloadError);
      await client.refresh();
      expect(client.getStatus().lastError).toBeUndefined();
    });
  });

  describe("identify", () => {
    it("lets the server's rules decide for the new user's attributes", async () => {
      const client = track(clientFor(server));
      await client.init();
      expect(client.isEnabled("pro-only", false)).toBe(false);
      await client.identify({ id: "user-1", attributes: { plan: "pro" } });
      expect(client.isEnabled("pro-only", false)).toBe(true);
      expect(client.getString("theme", "x")).toBe("dark");
      expect(server.received.identifies.at(-1)?.body).toEqual({ user: { id: "user-1", attributes: { plan: "pro" } } });
      await client.identify({ id: "user-9" });
      expect(client.isEnabled("user-target", false)).toBe(true);
      expect(client.isEnabled("pro-only", true)).toBe(false);
    });

    it("lets the last of ten rapid identifies win", async () => {
      const client = track(clientFor(server));
      await client.init();
      server.faults.delay(30, { count: 5 });
      const users = Array.from({ length: 10 }, (_, i) => ({ id: `user-${i}`, attributes: { plan: i === 9 ? "pro" : "free" } }));
      await Promise.all(users.map((user) => client.identify(user)));
      expect(client.isEnabled("pro-only", false)).toBe(true);
      expect(client.isEnabled("user-target", false)).toBe(true);
      expect(client.getStatus().stale).toBe(false);
    });

    it("rejects a user without an id, naming the field", async () => {
      const client = track(clientFor(server));
      await expect(client.identify({ id: "" })).rejects.toMatchObject({ code: "CONFIG_INVALID", option: "user.id" });
    });

    it("reset() evaluates anonymously again and blanks the old session", async () => {
      const client = track(clientFor(server));
      await client.init();
      await client.identify({ id: "user-1", attributes: { plan: "pro" } });
      await client.reset();
      expect(client.isEnabled("pro-only", true)).toBe(false);
      expect(flagRequests(server).at(-1)!.query).toEqual({});
      expect(server.received.identifies.at(-1)?.body).toEqual({ user: { id: "user-1" } });
    });
  });

  describe("reactive views", () => {
    it("flag$ emits the current value at once, then only that flag's changes", async () => {
      const client = track(clientFor(server));
      await client.init();
      const themes: unknown[] = [];
      const others: unknown[] = [];
      client.flag$("theme", "none").subscribe((v) => themes.push(v));
      client.flag$("results-per-page").subscribe((v) => others.push(v));
      server.setFlag({ key: "theme", enabled: true, rolloutPercentage: 100, variations: { dark: "dark" }, defaultVariation: "dark" });
      await client.refresh();
      await client.refresh();
      server.deleteFlag("theme");
      await client.refresh();
      expect(themes).toEqual(["light", "dark", "none"]);
      expect(others).toEqual([50]);
    });

    it("flag$ compares JSON deeply, so a refetch of the same object emits nothing", async () => {
      const client = track(clientFor(server));
      await client.init();
      const configs: unknown[] = [];
      client.flag$("feature-config", {}).subscribe((v) => configs.push(v));
      await client.refresh();
      await client.refresh();
      expect(configs).toHaveLength(1);
    });

    it("isEnabled$ and flags$ follow changes; events$ names the changed flag with old and new values", async () => {
      const client = track(clientFor(server));
      const events: RollgateEvent[] = [];
      client.events$.subscribe((e) => events.push(e));
      const enabled = firstValueFrom(client.isEnabled$("off-feature", false).pipe(take(2), toArray()));
      const all = firstValueFrom(client.flags$.pipe(take(3), toArray()));
      await client.init();
      server.setFlag({ key: "off-feature", enabled: true, rolloutPercentage: 100 });
      await client.refresh();
      expect(await enabled).toEqual([false, true]);
      const snapshots = await all;
      expect(snapshots[0]).toEqual({});
      expect(snapshots[2]!["off-feature"]).toBe(true);
      expect(events).toContainEqual({ type: "flag-changed", key: "off-feature", value: true, previousValue: false });
      expect(events.find((e) => e.type === "ready")).toEqual({ type: "ready", source: "server", stale: false });
    });

    it("watch() iterates a flag's values and ends on close()", async () => {
      const client = clientFor(server);
      await client.init();
      const seen: string[] = [];
      const done = (async () => {
        for await (const theme of client.watch("theme", "x")) seen.push(theme);
      })();
      server.setFlag({ key: "theme", enabled: true, rolloutPercentage: 100, variations: { d: "dark" }, defaultVariation: "d" });
      await client.refresh();
      await eventually(() => seen.length === 2);
      await client.close();
      await done;
      expect(seen).toEqual(["light", "dark"]);
    });

    it("a throwing listener is contained and the others still run", async () => {
      const logger = new RecordingLogger();
      const client = track(clientFor(server, { logger }));
      const seen: string[] = [];
      client.on("ready", () => {
        throw new Error("listener bug");
      });
      const off = client.on("ready", (e) => seen.push(e.source));
      await client.init();
      off();
      expect(seen).toEqual(["server"]);
      expect(logger.text()).toContain('A listener for "ready" threw');
      expect(client.isEnabled("new-feature", false)).toBe(true);
    });

    it("every stream completes on close()", async () => {
      const client = clientFor(server);
      await client.init();
      const streams: Observable<unknown>[] = [client.flag$("theme"), client.isEnabled$("x", false), client.flags$, client.events$, client.status$, client.circuitState$];
      const completions = streams.map(
        (stream$) => new Promise<void>((resolve) => stream$.subscribe({ complete: resolve })),
      );
      await client.close();
      await Promise.all(completions);
      const late = await firstValueFrom(client.flag$("theme").pipe(toArray()));
      expect(late).toEqual(["light"]);
    });
  });

  describe("lifecycle", () => {
    it("init() twice is harmless and fetches once", async () => {
      const client = track(clientFor(server));
      const first = client.init();
      expect(client.init()).toBe(first);
      await first;
      expect(flagRequests(server)).toHaveLength(1);
    });

    it("close() before init() and close() twice are harmless", async () => {
      const client = clientFor(server);
      await client.close();
      await client.close();
      await client.init();
      expect(flagRequests(server)).toHaveLength(0);
    });

    it("await using closes the client at the end of the scope", async () => {
      let escaped: RollgateClient | undefined;
      {
        await using client = clientFor(server);
        await client.init();
        escaped = client;
      }
      expect(escaped.getStatus().closed).toBe(true);
    });

    it("init() rejects with AuthenticationError on a wrong key, and getters still answer defaults", async () => {
      const client = track(new RollgateClient({ apiKey: "wrong-key", baseUrl: server.url, cache: false, logger: new RecordingLogger() }));
      await expect(client.init()).rejects.toBeInstanceOf(AuthenticationError);
      expect(client.isEnabled("new-feature", false)).toBe(false);
      expect(client.getStatus().lastError).toBeInstanceOf(AuthenticationError);
      // The server counts requests without its key instead of recording them: one attempt, no retry.
      expect(flagRequests(server)).toHaveLength(0);
      expect(server.received.unauthenticated).toBe(1);
    });

    it("status says where the flags come from and when they were fetched", async () => {
      const clock = new VirtualClock();
      const client = track(clientFor(server, { scheduler: clock.scheduler }));
      expect(client.getStatus()).toMatchObject({ ready: false, source: "defaults", stale: false, circuit: "closed", stream: "off" });
      clock.advanceBy(1234);
      await client.init();
      expect(client.getStatus()).toMatchObject({ ready: true, source: "server", stale: false, staleReason: undefined, lastUpdated: new Date(1234) });
    });
  });

  describe("in virtual time", () => {
    it("polls every refreshInterval and picks up an admin change", async () => {
      const clock = new VirtualClock();
      const client = track(clientFor(server, { scheduler: clock.scheduler, refreshInterval: 30 }));
      await client.init();
      expect(flagRequests(server)).toHaveLength(1);
      clock.advanceBy(29_999);
      expect(flagRequests(server)).toHaveLength(1);
      server.setFlag({ key: "new-feature", enabled: false });
      clock.advanceBy(1);
      await eventually(() => !client.isEnabled("new-feature", true), 5_000, "the poll to apply");
      expect(flagRequests(server)).toHaveLength(2);
      for (let i = 0; i < 3; i++) {
        // Each poll is applied (not only received by the server) before the clock moves on: a tick
        // that comes while a fetch is still in flight is skipped by design.
        await eventually(() => client.getStatus().lastUpdated?.getTime() === clock.now, 5_000, "the poll to apply");
        clock.advanceBy(30_000);
        await eventually(() => flagRequests(server).length === 3 + i, 5_000, "the next poll");
      }
    });

    it("does not poll when refreshInterval is 0", async () => {
      const clock = new VirtualClock();
      const client = track(clientFor(server, { scheduler: clock.scheduler, refreshInterval: 0 }));
      await client.init();
      clock.advanceBy(3_600_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(flagRequests(server)).toHaveLength(1);
    });

    it("init() settles within one initTimeout even when the cache store hangs and the server is slow", async () => {
      const clock = new VirtualClock();
      server.faults.delay(60_000, { count: "all" });
      const hanging = { load: () => new Promise<string | undefined>(() => {}), save: () => Promise.resolve() };
      const client = track(clientFor(server, { scheduler: clock.scheduler, initTimeout: 4, cache: { store: hanging } }));
      let settled = false;
      const init = client.init().then(() => (settled = true));
      clock.advanceBy(1_000);
      await eventually(() => server.received.requests.length > 0, 5_000, "the fetch to start after the cache budget");
      clock.advanceBy(2_999);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(settled).toBe(false);
      clock.advanceBy(1);
      await init;
      expect(client.getStatus()).toMatchObject({ ready: true, stale: true, source: "defaults" });
    });

    it("init() settles at initTimeout when the server is slow, serving defaults marked stale", async () => {
      const clock = new VirtualClock();
      server.faults.delay(60_000, { count: "all" });
      const client = track(clientFor(server, { scheduler: clock.scheduler, initTimeout: 2, timeout: 5 }));
      let settled = false;
      const init = client.init().then(() => (settled = true));
      await eventually(() => flagRequests(server).length === 1 || server.received.requests.length > 0, 5_000, "the request");
      clock.advanceBy(1_999);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(settled).toBe(false);
      clock.advanceBy(1);
      await init;
      expect(client.getStatus()).toMatchObject({ ready: true, stale: true, source: "defaults" });
      expect(client.getStatus().staleReason).toMatch(/initTimeout/);
      expect(client.isEnabled("new-feature", false)).toBe(false);
    });
  });
});

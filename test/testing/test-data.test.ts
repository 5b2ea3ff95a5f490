import { RollgateClient, RollgateConfigError, silentLogger, type RollgateEvent, type RollgateOptions, type RollgateUser } from "rollgate";
import { FlagsFileError, TestData } from "rollgate/testing";

const PRO: RollgateUser = { id: "user-1", email: "ann@example.com", attributes: { plan: "pro", country: "DE" } };
const FREE: RollgateUser = { id: "user-2", attributes: { plan: "free", country: "US" } };

describe("TestData: flags for unit tests, served in-process", () => {
  const clients: RollgateClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
  });

  function client(td: TestData, options: Partial<RollgateOptions> = {}): RollgateClient {
    const made = new RollgateClient({ apiKey: "test", testData: td, logger: silentLogger, ...options });
    clients.push(made);
    return made;
  }

  describe("typed values", () => {
    it("serves booleans, strings, numbers and JSON with the types the server declares", async () => {
      const td = new TestData();
      await td.update(td.flag("on-flag").on());
      await td.update(td.flag("off-flag").off());
      await td.update(td.flag("theme").value("dark"));
      await td.update(td.flag("page-size").value(50));
      await td.update(td.flag("config").value({ limit: 100, roles: ["admin"] }));
      const c = client(td);
      await c.init();

      expect(c.isEnabled("on-flag", false)).toBe(true);
      expect(c.isEnabled("off-flag", true)).toBe(false);
      expect(c.getString("theme", "light")).toBe("dark");
      expect(c.getNumber("page-size", 20)).toBe(50);
      expect(c.getJson("config", { limit: 0, roles: [] as string[] })).toEqual({ limit: 100, roles: ["admin"] });
      // Values of another type than the default's are the default, as with a server.
      expect(c.getNumber("theme", 7)).toBe(7);
      expect(c.getValueDetail("theme", 7)).toEqual({ value: 7, reason: { kind: "ERROR", errorKind: "WRONG_TYPE" } });
      expect(c.getAllFlags()).toEqual({ "on-flag": true, "off-flag": false, theme: "dark", "page-size": 50, config: { limit: 100, roles: ["admin"] } });
      expect(c.getStatus()).toMatchObject({ ready: true, stale: false, source: "server", circuit: "closed", stream: "off" });
    });

    it("serves a typed flag that is off as the caller's default, and a deleted flag as unknown", async () => {
      const td = new TestData();
      await td.update(td.flag("theme").value("dark").off());
      await td.update(td.flag("gone").on());
      await td.delete("gone");
      const c = client(td);
      await c.init();
      expect(c.getValueDetail("theme", "light")).toEqual({ value: "light", reason: { kind: "OFF" } });
      expect(c.isEnabledDetail("gone", true)).toEqual({ value: true, reason: { kind: "UNKNOWN" } });
    });

    it("accepts flag definitions as in a flags file, and refuses invalid ones naming the field", async () => {
      const td = new TestData({ flags: [{ key: "a", enabled: true, rolloutPercentage: 100 }] });
      await td.update({ key: "b", enabled: true, variations: { x: "x" }, defaultVariation: "x", rolloutPercentage: 100 });
      const c = client(td);
      await c.init();
      expect(c.getAllFlags()).toEqual({ a: true, b: "x" });
      expect(() => td.update({ key: "c", enabled: true, rolloutPercentage: 120 })).toThrow(FlagsFileError);
      expect(() => td.update({ key: "c", enabled: true, rolloutPercentage: 120 })).toThrow(/rolloutPercentage: expected a number from 0 to 100/);
      expect(() => td.update(td.flag("c").when("plan", "like", "pro"))).toThrow(/operator: expected one of eq, neq/);
      expect(() => new TestData({ flags: [{ key: "", enabled: true }] })).toThrow(FlagsFileError);
    });
  });

  describe("targeting and reasons", () => {
    it("targets by attribute, by user id and by segment, with the server's reasons", async () => {
      const td = new TestData();
      await td.segment("europe", { conditions: [{ attribute: "country", operator: "in", value: ["DE", "FR"] }] });
      await td.update(
        td
          .flag("theme")
          .value("light")
          .when("plan", "eq", "pro", "dark")
          .forUser("user-2", "blue")
          .rule({ id: "eu", conditions: [{ attribute: "segment", operator: "in", value: "europe" }], value: "eu" }),
      );
      await td.update(td.flag("beta").value(false).forUser("user-2").when("email", "ends_with", "@example.com"));
      const c = client(td, { user: PRO });
      await c.init();
      const free = await c.forUser(FREE);
      const anonymous = await c.forUser({ id: "user-3" });

      expect(c.getValueDetail("theme", "")).toEqual({ value: "dark", reason: { kind: "RULE_MATCH", ruleId: 'plan eq "pro"', ruleIndex: 1, inRollout: true } });
      expect(free.getValueDetail("theme", "")).toEqual({ value: "blue", reason: { kind: "RULE_MATCH", ruleId: "user:user-2", ruleIndex: 0, inRollout: true } });
      expect(anonymous.getValueDetail("theme", "")).toEqual({ value: "light", reason: { kind: "FALLTHROUGH", inRollout: true } });
      expect((await c.forUser({ id: "user-4", attributes: { country: "FR" } })).getString("theme", "")).toBe("eu");

      expect(c.isEnabledDetail("beta", false)).toEqual({ value: true, reason: { kind: "RULE_MATCH", ruleId: 'email ends_with "@example.com"', ruleIndex: 0, inRollout: true } });
      expect(free.isEnabledDetail("beta", false)).toEqual({ value: true, reason: { kind: "TARGET_MATCH" } });
      expect(anonymous.isEnabledDetail("beta", true)).toEqual({ value: false, reason: { kind: "FALLTHROUGH", inRollout: false } });
    });

    it("rolls out by the server's stable bucket of user id and flag key", async () => {
      const td = new TestData();
      await td.update(td.flag("half").rollout(50));
      const c = client(td);
      await c.init();
      const users = await Promise.all(Array.from({ length: 200 }, (_, index) => c.forUser({ id: `user-${index}` })));
      const on = users.filter((flags) => flags.isEnabled("half", false)).length;
      expect(on).toBeGreaterThan(70);
      expect(on).toBeLessThan(130);
      // Stable: the same users are in on a second look.
      const again = await Promise.all(Array.from({ length: 200 }, (_, index) => c.forUser({ id: `user-${index}` })));
      expect(again.map((flags) => flags.isEnabled("half", false))).toEqual(users.map((flags) => flags.isEnabled("half", false)));
    });

    it("turns a targeted user's value back off with false, and a whole flag off with the kill switch", async () => {
      const td = new TestData();
      await td.update(td.flag("beta").on().when("plan", "eq", "free", false));
      const c = client(td, { user: FREE });
      await c.init();
      expect(c.isEnabledDetail("beta", true)).toEqual({ value: false, reason: { kind: "RULE_MATCH", ruleId: 'plan eq "free"', ruleIndex: 0, inRollout: false } });
      await td.update(td.flag("beta").off());
      expect(c.isEnabledDetail("beta", true)).toEqual({ value: false, reason: { kind: "OFF" } });
    });

    it("follows identify() and reset() as with a server", async () => {
      const td = new TestData();
      await td.update(td.flag("theme").value("light").when("plan", "eq", "pro", "dark"));
      const c = client(td);
      await c.init();
      expect(c.getString("theme", "")).toBe("light");
      await c.identify(PRO);
      expect(c.getString("theme", "")).toBe("dark");
      await c.reset();
      expect(c.getString("theme", "")).toBe("light");
    });
  });

  describe("live changes", () => {
    it("reach flag$, flag-changed and flags-updated events once the update resolves", async () => {
      const td = new TestData();
      await td.update(td.flag("theme").value("light"));
      await td.update(td.flag("other").on());
      const c = client(td);
      await c.init();
      const themes: string[] = [];
      const others: boolean[] = [];
      const events: RollgateEvent[] = [];
      c.flag$("theme", "none").subscribe((theme) => themes.push(theme));
      c.isEnabled$("other", false).subscribe((on) => others.push(on));
      c.events$.subscribe((event) => events.push(event));

      await td.update(td.flag("theme").value("dark"));
      expect(themes).toEqual(["light", "dark"]);
      expect(others).toEqual([true]);
      expect(events).toEqual([
        { type: "flag-changed", key: "theme", value: "dark", previousValue: "light" },
        { type: "flags-updated", source: "server", changedKeys: ["theme"] },
      ]);

      await td.delete("theme");
      expect(themes).toEqual(["light", "dark", "none"]);
      expect(events.at(-2)).toEqual({ type: "flag-changed", key: "theme", value: undefined, previousValue: "dark" });
    });

    it("notifies no one for an identical definition, and one refetch for a burst of changes", async () => {
      const td = new TestData();
      await td.update(td.flag("a").on());
      const c = client(td);
      await c.init();
      const updates: RollgateEvent[] = [];
      c.on("flags-updated", (event) => updates.push(event));
      await td.update(td.flag("a").on());
      expect(updates).toEqual([]);
      await Promise.all([td.update(td.flag("a").off()), td.update(td.flag("b").on()), td.update(td.flag("c").value(3))]);
      expect(updates).toEqual([{ type: "flags-updated", source: "server", changedKeys: ["a", "b", "c"] }]);
    });

    it("changes a segment for every flag that uses it", async () => {
      const td = new TestData();
      await td.segment("staff", { conditions: [{ attribute: "email", operator: "ends_with", value: "@example.com" }] });
      await td.update(td.flag("admin").value(false).rule({ id: "staff", conditions: [{ attribute: "segment", operator: "in", value: "staff" }] }));
      const c = client(td, { user: PRO });
      await c.init();
      expect(c.isEnabled("admin", false)).toBe(true);
      await td.segment("staff", { conditions: [{ attribute: "email", operator: "ends_with", value: "@rollgate.io" }] });
      expect(c.isEnabled("admin", false)).toBe(false);
    });

    it("reach forUser views: a watched view at once, any other view on its next forUser call", async () => {
      const td = new TestData();
      await td.update(td.flag("theme").value("light").when("plan", "eq", "pro", "dark"));
      const c = client(td);
      await c.init();
      const pro = await c.forUser(PRO);
      const free = await c.forUser(FREE);
      const proThemes: string[] = [];
      pro.flag$("theme", "none").subscribe((theme) => proThemes.push(theme));

      await td.update(td.flag("theme").when("plan", "eq", "pro", "purple"));
      expect(proThemes).toEqual(["dark", "purple"]);
      expect(pro.getString("theme", "")).toBe("purple");

      await td.update(td.flag("theme").value("white"));
      expect(free.getString("theme", "")).toBe("light");
      expect((await c.forUser(FREE)).getString("theme", "")).toBe("white");
      expect(proThemes).toEqual(["dark", "purple"]);
    });

    it("waits for every watched view, however many (they refetch a few at a time)", async () => {
      const td = new TestData();
      await td.update(td.flag("n").value(1));
      const c = client(td);
      await c.init();
      const latest = new Map<string, number>();
      for (let index = 0; index < 30; index++) {
        const view = await c.forUser({ id: `user-${index}` });
        view.flag$("n", 0).subscribe((n) => latest.set(`user-${index}`, n));
      }
      await td.update(td.flag("n").value(2));
      expect(new Set(latest.values())).toEqual(new Set([2]));
    });

    it("applies a change made before init() at init, and none after close()", async () => {
      const td = new TestData();
      const c = client(td);
      expect(c.isEnabledDetail("a", false)).toEqual({ value: false, reason: { kind: "ERROR", errorKind: "CLIENT_NOT_READY" } });
      await td.update(td.flag("a").on());
      expect(c.isEnabled("a", false)).toBe(false);
      await c.init();
      expect(c.isEnabled("a", false)).toBe(true);
      expect(td.connectedClients).toBe(1);
      await c.close();
      expect(td.connectedClients).toBe(0);
      await td.update(td.flag("a").off());
      // Getters keep answering from the last flags after close().
      expect(c.isEnabled("a", false)).toBe(true);
    });

    it("serves several clients, each for its own user", async () => {
      const td = new TestData();
      await td.update(td.flag("theme").value("light").when("plan", "eq", "pro", "dark"));
      const [a, b] = [client(td, { user: PRO }), client(td, { user: FREE })];
      await Promise.all([a.init(), b.init()]);
      await td.update(td.flag("theme").value("white"));
      expect([a.getString("theme", ""), b.getString("theme", "")]).toEqual(["dark", "white"]);
    });
  });

  describe("options", () => {
    it("makes no request: a baseUrl nobody listens on is never contacted", async () => {
      const td = new TestData();
      await td.update(td.flag("a").on());
      const c = client(td, { baseUrl: "http://127.0.0.1:9", enableStreaming: true, refreshInterval: 1, retry: { maxRetries: 0 } });
      await c.init();
      expect(c.isEnabled("a", false)).toBe(true);
      expect(c.getStatus()).toMatchObject({ stale: false, lastError: undefined, stream: "off" });
    });

    it("refuses a testData that is not a TestData, naming the option", () => {
      expect(() => new RollgateClient({ apiKey: "test", testData: {} as TestData })).toThrow(RollgateConfigError);
      expect(() => new RollgateClient({ apiKey: "test", testData: {} as TestData })).toThrow(/Invalid option testData: expected a TestData from rollgate\/testing/);
    });
  });
});

import * as z from "zod";
import { RollgateClient, RollgateConfigError, type EvaluationHook, type EvaluationHookContext, type EvaluationHookDetail } from "../../src";
import { TestData } from "../../src/testing";

async function testData(): Promise<TestData> {
  const td = new TestData();
  await td.update(td.flag("on").on());
  await td.update(td.flag("off").off());
  await td.update(td.flag("theme").value("light").when("plan", "eq", "pro", "dark"));
  await td.update(td.flag("limit").value(20));
  await td.update(td.flag("config").value({ max: 3 }));
  await td.update(td.flag("list").value([1, 2]));
  await td.update(td.flag("hidden").value("secret").off());
  return td;
}

function warnings(): { logger: { warn: (m: string) => void; error: () => void; info: () => void; debug: () => void }; messages: string[] } {
  const messages: string[] = [];
  return { messages, logger: { warn: (m: string) => messages.push(m), error: () => undefined, info: () => undefined, debug: () => undefined } };
}

/** Records every stage it sees, as "name:stage:key". */
function recorder(name: string, seen: string[]): EvaluationHook {
  return {
    name,
    beforeEvaluation: (context) => {
      seen.push(`${name}:before:${context.flagKey}`);
      return { from: name };
    },
    afterEvaluation: (context, data) => {
      seen.push(`${name}:after:${context.flagKey}:${String(data.from)}`);
    },
  };
}

describe("evaluation hooks", () => {
  let td: TestData;
  const clients: RollgateClient[] = [];
  const client = async (options: Partial<ConstructorParameters<typeof RollgateClient>[0]> = {}): Promise<RollgateClient> => {
    const made = new RollgateClient({ apiKey: "test", testData: td, events: false, user: { id: "ana", attributes: { plan: "pro" } }, ...options });
    await made.init();
    clients.push(made);
    return made;
  };
  beforeEach(async () => {
    td = await testData();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  it("run beforeEvaluation in order and afterEvaluation in reverse, each hook getting the data its own before returned", async () => {
    const seen: string[] = [];
    const c = await client({ hooks: [recorder("a", seen), recorder("b", seen)] });
    c.addHook(recorder("c", seen));
    c.isEnabled("on", false);
    expect(seen).toEqual(["a:before:on", "b:before:on", "c:before:on", "c:after:on:c", "b:after:on:b", "a:after:on:a"]);
  });

  it("give each hook a fresh data object of its own, which before may fill in instead of returning one", async () => {
    const datas: object[] = [];
    const hook: EvaluationHook = {
      beforeEvaluation: (_context, data) => {
        data.started = true;
      },
      afterEvaluation: (_context, data) => {
        datas.push(data);
      },
    };
    const c = await client({ hooks: [hook, { afterEvaluation: (_context, data) => datas.push(data) }] });
    c.isEnabled("on", false);
    c.isEnabled("on", false);
    expect(datas[1]).toEqual({ started: true });
    expect(datas[0]).toEqual({});
    expect(datas[3]).not.toBe(datas[1]);
  });

  it("tell hooks the key, the user, the default and the method, and after the evaluation what was served and why", async () => {
    const contexts: EvaluationHookContext[] = [];
    const details: EvaluationHookDetail[] = [];
    const c = await client({ hooks: [{ beforeEvaluation: (context) => void contexts.push(context), afterEvaluation: (_c, _d, detail) => void details.push(detail) }] });
    expect(c.getString("theme", "blue")).toBe("dark");
    expect(c.getNumber("missing", 7)).toBe(7);
    expect(c.getString("limit", "x")).toBe("x");
    expect(contexts[0]).toEqual({ flagKey: "theme", user: { id: "ana", attributes: { plan: "pro" } }, defaultValue: "blue", method: "getString" });
    expect(details[0]).toEqual({ value: "dark", reason: { kind: "RULE_MATCH", ruleIndex: 0, inRollout: true, ruleId: expect.any(String) as string }, errorKind: undefined, source: "server", stale: false });
    expect(details[1]).toMatchObject({ value: 7, reason: { kind: "UNKNOWN" }, errorKind: "FLAG_NOT_FOUND" });
    expect(details[2]).toMatchObject({ value: "x", reason: { kind: "ERROR", errorKind: "WRONG_TYPE" }, errorKind: "WRONG_TYPE" });
  });

  it("never change what a getter returns: every getter, hit, miss, wrong type, off and schema, with hooks as without", async () => {
    const plain = await client();
    const hooked = await client({ hooks: [{ beforeEvaluation: () => ({}) }, { afterEvaluation: () => undefined }] });
    const schema = z.object({ max: z.number() });
    const calls: ((c: RollgateClient) => unknown)[] = [];
    for (const key of ["on", "off", "theme", "limit", "config", "list", "hidden", "missing"]) {
      calls.push(
        (c) => c.isEnabled(key, true),
        (c) => c.getValue(key, "d"),
        (c) => c.getValue(key, 1),
        (c) => c.getValue(key, false),
        (c) => c.getValue(key, { x: 1 }),
        (c) => c.getValue(key, [0]),
        (c) => c.getValue(key, undefined),
        (c) => c.getValue(key, null),
        (c) => c.getString(key, "d"),
        (c) => c.getNumber(key, -1),
        (c) => c.getJson(key, { d: true }),
        // getJson serves JSON flags only, whatever the default's type.
        (c) => c.getJson(key, null),
        (c) => c.getJson(key, "d"),
        (c) => c.getJson(key, 0),
        (c) => c.getJson(key, { max: 0 }, schema),
        (c) => c.isEnabledDetail(key, true),
        (c) => c.getValueDetail(key, "d"),
        (c) => c.getValueDetail(key, { max: 0 }, schema),
      );
    }
    for (const call of calls) expect(call(hooked)).toEqual(call(plain));
    // The evaluations were counted once each, hooks or not.
    expect(hooked.getTelemetryStats()?.evaluations).toEqual(plain.getTelemetryStats()?.evaluations);
  });

  it("run around every getter and every *Detail form, on the client and a view, telling the hook which one was called", async () => {
    const methods: string[] = [];
    const served: unknown[] = [];
    const c = await client({ hooks: [{ beforeEvaluation: (context) => void methods.push(context.method), afterEvaluation: (_c, _d, detail) => void served.push(detail.value) }] });
    const schema = z.object({ max: z.number() });
    const expected = ["isEnabled", "getValue", "getString", "getNumber", "getJson", "getJson", "isEnabledDetail", "getValueDetail", "getValueDetail"];
    for (const reader of [c, await c.forUser({ id: "bo" })]) {
      reader.isEnabled("on", false);
      reader.getValue("limit", 0);
      reader.getString("theme", "blue");
      reader.getNumber("limit", 0);
      reader.getJson("config", {});
      reader.getJson("config", { max: 0 }, schema);
      reader.isEnabledDetail("off", true);
      reader.getValueDetail("limit", 0);
      reader.getValueDetail("config", { max: 0 }, schema);
    }
    expect(methods).toEqual([...expected, ...expected]);
    expect(served.slice(0, expected.length)).toEqual([true, 20, "dark", 20, { max: 3 }, { max: 3 }, false, 20, { max: 3 }]);
    expect(served.slice(expected.length)).toEqual([true, 20, "light", 20, { max: 3 }, { max: 3 }, false, 20, { max: 3 }]);
  });

  it("run on every forUser view, for the view's user", async () => {
    const users: (string | undefined)[] = [];
    const c = await client({ hooks: [{ beforeEvaluation: (context) => void users.push(context.user?.id) }] });
    const view = await c.forUser({ id: "bo", attributes: { plan: "free" } });
    expect(view.getString("theme", "blue")).toBe("light");
    c.isEnabled("on", false);
    expect(users).toEqual(["bo", "ana"]);
  });

  it("stop running once removed, on the client and its views", async () => {
    const seen: string[] = [];
    const c = await client();
    const remove = c.addHook(recorder("a", seen));
    expect(c.getStatus().hooks.registered).toBe(1);
    const view = await c.forUser({ id: "bo" });
    view.isEnabled("on", false);
    remove();
    remove();
    view.isEnabled("on", false);
    c.isEnabled("on", false);
    expect(seen).toEqual(["a:before:on", "a:after:on:a"]);
    expect(c.getStatus().hooks.registered).toBe(0);
  });

  it("contain a hook that throws: the value is served, the other hooks run, each failure is counted and each hook is logged once", async () => {
    const seen: string[] = [];
    const { logger, messages } = warnings();
    const bad: EvaluationHook = {
      name: "bad",
      beforeEvaluation: () => {
        throw new Error("boom");
      },
      afterEvaluation: () => {
        throw new TypeError("bang");
      },
    };
    const c = await client({ logger, hooks: [recorder("a", seen), bad, recorder("b", seen)] });
    for (let i = 0; i < 3; i++) expect(c.getString("theme", "blue")).toBe("dark");
    expect(seen.filter((s) => s.startsWith("b:after"))).toHaveLength(3);
    expect(seen.filter((s) => s.startsWith("a:after"))).toHaveLength(3);
    expect(c.getStatus().hooks.errors).toBe(6);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/evaluation hook "bad" threw in beforeEvaluation: Error: boom/);
  });

  it("are refused at construction when they are not hooks", () => {
    for (const hooks of [[{}], [null], [{ beforeEvaluation: 3 }], "x"]) {
      expect(() => new RollgateClient({ apiKey: "test", testData: td, hooks: hooks as never })).toThrow(RollgateConfigError);
    }
  });
});

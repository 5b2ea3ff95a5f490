import { RollgateClient, type EvaluationHook, type EvaluationHookData, type EvaluationHookDetail } from "../../src";
import { startBodyServer } from "../support/body-server";
import { TestData } from "../../src/testing";

function warnings(): { logger: { warn: (m: string) => void; error: () => void; info: () => void; debug: () => void }; messages: string[] } {
  const messages: string[] = [];
  return { messages, logger: { warn: (m: string) => messages.push(m), error: () => undefined, info: () => undefined, debug: () => undefined } };
}

/**
 * Evaluation hooks at their edges, as a user of `hooks` / `addHook` sees them: removers, the data
 * handed from before to after, hooks with one stage only, and what is logged and counted when a
 * hook throws (mutation testing, issue 25).
 */
describe("evaluation hooks at their edges", () => {
  let td: TestData;
  const clients: RollgateClient[] = [];
  const client = async (options: Partial<ConstructorParameters<typeof RollgateClient>[0]> = {}): Promise<RollgateClient> => {
    const made = new RollgateClient({ apiKey: "test", testData: td, events: false, user: { id: "ana" }, ...options });
    await made.init();
    clients.push(made);
    return made;
  };
  beforeEach(async () => {
    td = new TestData();
    await td.update(td.flag("on").on());
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  it("runs a hook added twice twice; each remover removes one, and calling it again removes nothing more", async () => {
    let runs = 0;
    const hook: EvaluationHook = { beforeEvaluation: () => void runs++ };
    const c = await client();
    const first = c.addHook(hook);
    c.addHook(hook);
    c.isEnabled("on", false);
    expect(runs).toBe(2);
    first();
    first();
    c.isEnabled("on", false);
    expect(runs).toBe(3);
    expect(c.getStatus().hooks.registered).toBe(1);
  });

  it("removes the first of several hooks, and only it", async () => {
    const seen: string[] = [];
    const c = await client();
    const removeA = c.addHook({ beforeEvaluation: () => void seen.push("a") });
    c.addHook({ beforeEvaluation: () => void seen.push("b") });
    removeA();
    c.isEnabled("on", false);
    expect(seen).toEqual(["b"]);
  });

  it("hands after the data object before filled in when before returns no object, and an empty one to a hook with no before", async () => {
    const datas: EvaluationHookData[] = [];
    const returning = (value: unknown): EvaluationHook => ({
      beforeEvaluation: (_context, data) => {
        data.filled = true;
        return value as EvaluationHookData;
      },
      afterEvaluation: (_context, data) => void datas.push(data),
    });
    const c = await client({ hooks: [returning(null), returning("text"), returning(undefined), returning({ own: 1 }), { afterEvaluation: (_context, data) => void datas.push(data) }] });
    c.isEnabled("on", false);
    // After runs in reverse order.
    expect(datas).toEqual([{}, { own: 1 }, { filled: true }, { filled: true }, { filled: true }]);
  });

  it("hands after what a throwing before had put in its data, and counts nothing for a hook with only one stage", async () => {
    const datas: EvaluationHookData[] = [];
    const c = await client({
      hooks: [
        {
          beforeEvaluation: (_context, data) => {
            data.step = 1;
            throw new Error("half-way");
          },
          afterEvaluation: (_context, data) => void datas.push(data),
        },
        { beforeEvaluation: () => undefined },
        { afterEvaluation: () => undefined },
      ],
      logger: warnings().logger,
    });
    expect(c.isEnabled("on", false)).toBe(true);
    expect(datas).toEqual([{ step: 1 }]);
    expect(c.getStatus().hooks.errors).toBe(1);
  });

  it("shows each failure in a status asked for before it", async () => {
    let fail = false;
    const c = await client({
      hooks: [
        {
          afterEvaluation: () => {
            if (fail) throw new Error("now");
          },
        },
      ],
      logger: warnings().logger,
    });
    c.isEnabled("on", false);
    expect(c.getStatus().hooks).toMatchObject({ registered: 1, errors: 0 });
    fail = true;
    c.isEnabled("on", false);
    expect(c.getStatus().hooks.errors).toBe(1);
    c.isEnabled("on", false);
    expect(c.getStatus().hooks.errors).toBe(2);
  });

  it("words the warning for a hook without a usable name and an error that is no Error, once per hook", async () => {
    const { logger, messages } = warnings();
    const unprintable = { toString: () => { throw new Error("no"); } };
    const nameThrows = Object.defineProperty({ beforeEvaluation: () => { throw unprintable; } }, "name", { get: () => { throw new Error("name"); } }) as EvaluationHook;
    const c = await client({
      logger,
      hooks: [
        { name: "", afterEvaluation: () => { throw "plain text"; } },
        nameThrows,
        { name: "named", beforeEvaluation: () => { throw new RangeError("out"); } },
        { name: 42 as never, afterEvaluation: () => { throw new Error("numbered"); } },
      ],
    });
    c.isEnabled("on", false);
    c.isEnabled("on", false);
    const tail = ". The flag was served as if the hook were not there; fix the hook. Logged once per hook; getStatus().hooks.errors counts every failure.";
    expect(messages.sort()).toEqual(
      [
        `The evaluation hook threw in afterEvaluation: plain text${tail}`,
        `The evaluation hook threw in beforeEvaluation: an error that cannot be described${tail}`,
        `The evaluation hook "named" threw in beforeEvaluation: RangeError: out${tail}`,
        `The evaluation hook threw in afterEvaluation: Error: numbered${tail}`,
      ].sort(),
    );
    expect(c.getStatus().hooks.errors).toBe(8);
  });
  it("tell hooks that a flag served without a reason, or with a reason kind this client does not know, was found: reason UNKNOWN, no FLAG_NOT_FOUND", async () => {
    const body = JSON.stringify({
      flags: {
        bare: { type: "boolean", value: true, enabled: true },
        newer: { type: "string", value: "v", enabled: true, reason: { kind: "SOME_NEWER_KIND" } },
      },
    });
    const bodies = await startBodyServer({ status: 200, contentType: "application/json", body });
    const details: EvaluationHookDetail[] = [];
    const c = new RollgateClient({ apiKey: "rg_server_test", baseUrl: bodies.url, cache: false, events: false, refreshInterval: 0, retry: { maxRetries: 0 }, logger: warnings().logger });
    try {
      c.addHook({ afterEvaluation: (_context, _data, detail) => void details.push(detail) });
      await c.init();
      expect(c.isEnabled("bare", false)).toBe(true);
      expect(c.getString("newer", "d")).toBe("v");
      expect(c.getString("missing", "d")).toBe("d");
      expect(details.map((d) => [d.value, d.reason.kind, d.errorKind])).toEqual([
        [true, "UNKNOWN", undefined],
        ["v", "UNKNOWN", undefined],
        ["d", "UNKNOWN", "FLAG_NOT_FOUND"],
      ]);
    } finally {
      await c.close();
      await bodies.close();
    }
  });
});

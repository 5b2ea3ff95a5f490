import { ErrorCode, type EvaluationContext } from "@openfeature/server-sdk";
import { contextToUser } from "rollgate/openfeature";

describe("contextToUser", () => {
  it.each<[string, EvaluationContext, ReturnType<typeof contextToUser>]>([
    ["an empty context is the default user", {}, undefined],
    ["undefined values count as nothing", { plan: undefined } as unknown as EvaluationContext, undefined],
    ["targetingKey is the id", { targetingKey: "u1" }, { id: "u1" }],
    ["email is the email", { targetingKey: "u1", email: "a@example.com" }, { id: "u1", email: "a@example.com" }],
    ["a null email is none", { targetingKey: "u1", email: null }, { id: "u1" }],
    ["other attributes are attributes", { targetingKey: "u1", plan: "pro", seats: 3, beta: true, tags: ["a", "b"], org: { id: "o1" } }, { id: "u1", attributes: { plan: "pro", seats: 3, beta: true, tags: ["a", "b"], org: { id: "o1" } } }],
    ["dates become ISO strings, at any depth", { targetingKey: "u1", at: new Date(0), org: { since: new Date(1000) }, days: [new Date(0)] }, { id: "u1", attributes: { at: "1970-01-01T00:00:00.000Z", org: { since: "1970-01-01T00:00:01.000Z" }, days: ["1970-01-01T00:00:00.000Z"] } }],
    ["null is kept", { targetingKey: "u1", plan: null }, { id: "u1", attributes: { plan: null } }],
  ])("%s", (_name, context, user) => {
    expect(contextToUser(context)).toEqual(user);
  });

  it("drops what JSON cannot carry: undefined, functions, symbols, bigints, non-finite numbers, invalid dates, cycles", () => {
    const cyclic: Record<string, unknown> = { name: "c" };
    cyclic.self = cyclic;
    const context = {
      targetingKey: "u1",
      fn: () => 1,
      sym: Symbol("s"),
      big: BigInt(1),
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      bad: new Date("nope"),
      nested: { keep: 1, drop: undefined, fn: () => 2 },
      list: [1, undefined, () => 3, 2],
      cyclic,
    } as unknown as EvaluationContext;
    expect(contextToUser(context)).toEqual({ id: "u1", attributes: { nested: { keep: 1 }, list: [1, 2], cyclic: { name: "c" } } });
  });

  it("keeps a __proto__ attribute as data", () => {
    const context = JSON.parse('{"targetingKey":"u1","__proto__":{"plan":"pro"}}') as EvaluationContext;
    const user = contextToUser(context)!;
    expect(Object.getPrototypeOf(user.attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(user.attributes, "__proto__")?.value).toEqual({ plan: "pro" });
  });

  it("refuses attributes without a targetingKey (TARGETING_KEY_MISSING)", () => {
    expect(() => contextToUser({ plan: "pro" })).toThrow(expect.objectContaining({ code: ErrorCode.TARGETING_KEY_MISSING }));
    expect(() => contextToUser({ email: "a@example.com" })).toThrow(expect.objectContaining({ code: ErrorCode.TARGETING_KEY_MISSING }));
  });

  it.each<[string, EvaluationContext]>([
    ['""', { targetingKey: "" }],
    ["null", { targetingKey: null } as unknown as EvaluationContext],
    ["undefined", { targetingKey: undefined, plan: undefined } as unknown as EvaluationContext],
  ])("refuses an empty targetingKey (%s) as TARGETING_KEY_MISSING: never the default user", (_what, context) => {
    expect(() => contextToUser(context)).toThrow(expect.objectContaining({ code: ErrorCode.TARGETING_KEY_MISSING }));
  });

  it("refuses a targetingKey or email that is not a string (INVALID_CONTEXT)", () => {
    expect(() => contextToUser({ targetingKey: 7 } as unknown as EvaluationContext)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CONTEXT }));
    expect(() => contextToUser({ targetingKey: "u1", email: 7 })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CONTEXT }));
  });
});

import fc from "fast-check";
import type { RollgateUser } from "rollgate";
import { isSameUser } from "../../src/scope/is-same-user";
import { isAcceptedUser, validateUser } from "../../src/scope/validate-user";
import { userKey } from "../../src/scope/user-key";

/**
 * `isSameUser` is `forUser`'s cached-user fast path: whenever it says yes, the slow path
 * (`isAcceptedUser`, then `userKey`) must find the same entry; when it says no, the slow path
 * decides. So: yes implies accepted with the same key, and a fresh equal object says yes.
 */
describe("isSameUser", () => {
  /** What the slow path concludes: the input is accepted and keys like `known`. */
  const slowSame = (input: unknown, known: RollgateUser): boolean => {
    try {
      return isAcceptedUser(input) && userKey(input as RollgateUser) === userKey(known);
    } catch {
      return false;
    }
  };
  const fastSame = (input: unknown, known: RollgateUser): boolean | "threw" => {
    try {
      return isSameUser(input, known);
    } catch {
      return "threw";
    }
  };

  const known = validateUser({ id: "u1", email: "a@b.c", attributes: { plan: "pro", n: 0, tags: ["x", { deep: [1, null] }], on: true, none: null } });
  const equal = () => ({ id: "u1", email: "a@b.c", attributes: { plan: "pro", n: 0, tags: ["x", { deep: [1, null] }], on: true, none: null } });

  it("says yes for a new object equal to the cached user, for the cached copy itself, and for extra top-level keys", () => {
    expect(isSameUser(equal(), known)).toBe(true);
    expect(isSameUser(known, known)).toBe(true);
    expect(isSameUser({ ...equal(), other: new Date() }, known)).toBe(true);
    expect(isSameUser({ ...equal(), attributes: { ...equal().attributes, n: -0 } }, known)).toBe(true); // JSON: -0 is 0
    expect(isSameUser({ id: "u2" }, validateUser({ id: "u2" }))).toBe(true);
    expect(isSameUser(Object.assign(Object.create(null) as object, { id: "u2" }), validateUser({ id: "u2" }))).toBe(true);
    expect(isSameUser({ id: "u3", attributes: Object.assign(Object.create(null) as object, { a: 1 }) }, validateUser({ id: "u3", attributes: { a: 1 } }))).toBe(true);
  });

  const shared = { deep: [1, null] };
  const cycle: Record<string, unknown> = { plan: "pro" };
  cycle["self"] = cycle;
  let nested: unknown = 1;
  for (let i = 0; i < 70; i++) nested = { nested };
  const throwing = Object.defineProperty({ plan: "pro" }, "n", {
    enumerable: true,
    get() {
      throw new Error("getter");
    },
  });
  // eslint-disable-next-line no-sparse-arrays -- a hole, the case under test
  const sparse = [1, ,];
  const hostile: [string, unknown][] = [
    ["a Date for a string", { ...equal(), attributes: { ...equal().attributes, plan: new Date() } }],
    ["NaN", { ...equal(), attributes: { ...equal().attributes, n: Number.NaN } }],
    ["Infinity", { ...equal(), attributes: { ...equal().attributes, n: Number.POSITIVE_INFINITY } }],
    ["null email", { ...equal(), email: null }],
    ["no email", { id: "u1", attributes: equal().attributes }],
    ["null attributes", { id: "u1", email: "a@b.c", attributes: null }],
    ["attributes as an array", { id: "u1", email: "a@b.c", attributes: [] }],
    ["an undefined attribute", { ...equal(), attributes: { ...equal().attributes, gone: undefined } }],
    ["attributes in another order", { ...equal(), attributes: { n: 0, plan: "pro", tags: ["x", { deep: [1, null] }], on: true, none: null } }],
    ["an array for an object", { ...equal(), attributes: { ...equal().attributes, tags: ["x", [1, null]] } }],
    ["an object for an array", { ...equal(), attributes: { ...equal().attributes, tags: { 0: "x", 1: shared } } }],
    ["a sparse array", { ...equal(), attributes: { ...equal().attributes, tags: ["x", { deep: sparse }] } }],
    ["a class instance", { ...equal(), attributes: { ...equal().attributes, tags: ["x", new (class { deep = [1, null] })()] } }],
    ["a String object id", { ...equal(), id: new String("u1") }],
    ["a String object attribute", { ...equal(), attributes: { ...equal().attributes, plan: new String("pro") } }],
    ["toJSON", { ...equal(), attributes: { ...equal().attributes, plan: { toJSON: () => "pro" } } }],
    ["a function", { ...equal(), attributes: { ...equal().attributes, on: () => true } }],
    ["a cycle", { ...equal(), attributes: cycle }],
    ["70 levels", { ...equal(), attributes: { ...equal().attributes, tags: ["x", { deep: [1, nested] }] } }],
    ["a getter that throws", { ...equal(), attributes: throwing }],
    ["a Proxy whose trap throws", { ...equal(), attributes: new Proxy({}, { ownKeys: () => { throw new Error("trap"); } }) }],
    ["an array user", [known]],
    ["null", null],
    ["a string", "u1"],
  ];

  it.each(hostile)("says no to %s (or throws what the input throws), leaving it to the slow path", (_what, input) => {
    expect(fastSame(input, known)).not.toBe(true);
  });

  it("gives the slow path's answer for shared sub-objects and a Proxy of an equal user", () => {
    const sharedUser = validateUser({ id: "s", attributes: { a: { x: 1 }, b: { x: 1 } } });
    const sub = { x: 1 };
    expect(isSameUser({ id: "s", attributes: { a: sub, b: sub } }, sharedUser)).toBe(true);
    expect(slowSame({ id: "s", attributes: { a: sub, b: sub } }, sharedUser)).toBe(true);
    const proxied = new Proxy(equal(), {});
    expect(isSameUser(proxied, known)).toBe(slowSame(proxied, known));
  });

  it("never says yes where the slow path would not find the same key (property)", () => {
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(Number.NaN), fc.constant(undefined), fc.constant(-0), fc.date(), fc.constant(() => 1));
    const attributes = fc.oneof(fc.dictionary(fc.constantFrom("a", "b", "c", "0", "__proto__"), value, { maxKeys: 3 }), fc.constant(undefined), fc.constant(null));
    const user = fc.record({ id: fc.constantFrom("u", "v", ""), email: fc.constantFrom(undefined, "e", null), attributes }, { requiredKeys: ["id"] });
    fc.assert(
      fc.property(user, user, (a, b) => {
        let cached: RollgateUser;
        try {
          cached = validateUser(a);
        } catch {
          return;
        }
        const fast = fastSame(b, cached);
        if (fast === true) expect(slowSame(b, cached)).toBe(true);
        // The fast path fires for an equal fresh object: the point of it.
        expect(isSameUser(structuredClone(cached), cached)).toBe(slowSame(structuredClone(cached), cached));
      }),
      { numRuns: 20_000 },
    );
  });
});

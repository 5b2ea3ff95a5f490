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

  it("says a plain no, without throwing, to what is not a user object", () => {
    // Only getters and Proxy traps may make it throw: null and undefined are answered.
    expect(isSameUser(null, known)).toBe(false);
    expect(isSameUser(undefined, known)).toBe(false);
    expect(isSameUser("u1", known)).toBe(false);
    const anonymous = validateUser({ id: "u1" });
    expect(isSameUser(Object.assign(["u1"], { id: "u1" }), anonymous)).toBe(false);
    expect(isAcceptedUser(Object.assign(["u1"], { id: "u1" }))).toBe(false);
  });

  it("says no to a value of another kind or length deep in the attributes", () => {
    const nested = validateUser({ id: "u4", attributes: { a: { x: [1, 2] }, b: ["x"] } });
    expect(isSameUser({ id: "u4", attributes: { a: { x: [1, 2] }, b: ["x"] } }, nested)).toBe(true);
    expect(isSameUser({ id: "u4", attributes: { a: 1, b: ["x"] } }, nested)).toBe(false);
    expect(isSameUser({ id: "u4", attributes: { a: null, b: ["x"] } }, nested)).toBe(false);
    expect(isSameUser({ id: "u4", attributes: { a: { x: "1,2" }, b: ["x"] } }, nested)).toBe(false);
    // An array with a plain object's prototype has the keys of { "0": "x" }, but JSON writes ["x"].
    const keyed = validateUser({ id: "u4", attributes: { b: { 0: "x" } } });
    const arrayLike = { id: "u4", attributes: { b: Object.setPrototypeOf(["x"], Object.prototype) as unknown } };
    expect(isSameUser(arrayLike, keyed)).toBe(false);
    expect(slowSame(arrayLike, keyed)).toBe(false);
    // A longer array matches known's items one by one, yet keys differently.
    const longer = { id: "u4", attributes: { a: { x: [1, 2, 3] }, b: ["x"] } };
    expect(isSameUser(longer, nested)).toBe(false);
    expect(slowSame(longer, nested)).toBe(false);
  });

  it("says yes to the cached copy of a user with a sparse array, and no to undefined in its hole", () => {
    // validateUser keeps a hole (JSON writes it as null); an equal fresh object cannot match it,
    // but the cached copy given back is that user.
    // eslint-disable-next-line no-sparse-arrays -- a hole, the case under test
    const holed = validateUser({ id: "u5", attributes: { a: [1, , 2] } });
    expect(isSameUser(holed, holed)).toBe(true);
    const filled = { id: "u5", attributes: { a: [1, undefined, 2] } };
    expect(isSameUser(filled, holed)).toBe(false);
    expect(slowSame(filled, holed)).toBe(false);
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

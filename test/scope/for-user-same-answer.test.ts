import { RollgateConfigError, type RollgateUser } from "rollgate";
import { useClientSuite } from "../support/client-suite";

/**
 * Whether `forUser` accepts a user depends on the user alone, never on which users are cached
 * (issue 22.5): a twin that encodes to the same cache key as a cached valid user (a `Date` and its
 * ISO string, `NaN` and `null`, ...) is refused exactly as it is when nothing is cached. Against the
 * local server.
 */
describe("forUser gives the same input the same answer, whatever is cached", () => {
  const suite = useClientSuite();
  const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
  class Plan {
    readonly name = "pro";
  }

  /** [what, a valid user, an invalid twin whose JSON (the cache key) is the valid user's]. */
  const twins: [string, RollgateUser, unknown][] = [
    ["a Date attribute, once its ISO string is cached", { id: "u-date", attributes: { since: at.toISOString() } }, { id: "u-date", attributes: { since: at } }],
    ["NaN, once null is cached", { id: "u-nan", attributes: { score: null } }, { id: "u-nan", attributes: { score: Number.NaN } }],
    ["Infinity, once null is cached", { id: "u-inf", attributes: { score: null } }, { id: "u-inf", attributes: { score: Number.POSITIVE_INFINITY } }],
    ["an undefined attribute, once the user without it is cached", { id: "u-undef", attributes: {} }, { id: "u-undef", attributes: { gone: undefined } }],
    ["a function attribute, once the user without it is cached", { id: "u-fn", attributes: {} }, { id: "u-fn", attributes: { f: () => 1 } }],
    ["undefined inside an array, once null is cached", { id: "u-arr", attributes: { tags: [null] } }, { id: "u-arr", attributes: { tags: [undefined] } }],
    ["email: null, once the user without email is cached", { id: "u-email" }, { id: "u-email", email: null }],
    ["attributes: null, once the user without attributes is cached", { id: "u-attrs" }, { id: "u-attrs", attributes: null }],
    ["a Map attribute, once {} is cached", { id: "u-map", attributes: { m: {} } }, { id: "u-map", attributes: { m: new Map([["a", 1]]) } }],
    ["a class instance, once the plain object is cached", { id: "u-class", attributes: { plan: { name: "pro" } } }, { id: "u-class", attributes: { plan: new Plan() } }],
    ["an object with toJSON, once what it returns is cached", { id: "u-tojson", attributes: { plan: "pro" } }, { id: "u-tojson", attributes: { plan: { toJSON: () => "pro" } } }],
    ["a String object attribute, once the string is cached", { id: "u-string", attributes: { plan: "pro" } }, { id: "u-string", attributes: { plan: new String("pro") } }],
    ["a String object id, once the string id is cached", { id: "u-sid" }, { id: new String("u-sid") }],
    ["a Number object attribute, once the number is cached", { id: "u-num", attributes: { age: 31 } }, { id: "u-num", attributes: { age: new Number(31) } }],
  ];

  it.each(twins)("refuses %s, as it does when nothing is cached", async (_what, valid, twin) => {
    const client = suite.client();
    await client.init();
    const fresh = await client.forUser(twin as RollgateUser).then(
      () => "accepted",
      (error: unknown) => (error instanceof RollgateConfigError ? error.code : String(error)),
    );
    expect(fresh).toBe("CONFIG_INVALID");
    await client.forUser(valid);
    const cached = await client.forUser(twin as RollgateUser).then(
      () => "accepted",
      (error: unknown) => (error instanceof RollgateConfigError ? error.code : String(error)),
    );
    expect(cached).toBe("CONFIG_INVALID");
  });

  /** [what, a valid user to cache first, a user with the same id]: asked before and after caching. */
  const throwing = Object.defineProperty({}, "plan", {
    enumerable: true,
    get() {
      throw new Error("a getter that throws");
    },
  });
  let nested: unknown = 1;
  for (let i = 0; i < 70; i++) nested = { nested };
  const cycle: Record<string, unknown> = {};
  cycle["self"] = cycle;
  // eslint-disable-next-line no-sparse-arrays -- a hole, the case under test
  const sparse = [1, ,];
  const hostile: [string, RollgateUser, unknown][] = [
    ["a getter that throws", { id: "h-get", attributes: { plan: "pro" } }, { id: "h-get", attributes: throwing }],
    ["a Proxy whose trap throws", { id: "h-proxy", attributes: {} }, { id: "h-proxy", attributes: new Proxy({}, { ownKeys: () => { throw new Error("a trap that throws"); } }) }],
    ["a Proxy of an equal user", { id: "h-equal", attributes: { plan: "pro" } }, new Proxy({ id: "h-equal", attributes: new Proxy({ plan: "pro" }, {}) }, {})],
    ["70 levels of nesting", { id: "h-deep", attributes: { nested: 1 } }, { id: "h-deep", attributes: { nested } }],
    ["a cycle", { id: "h-cycle", attributes: { self: {} } }, { id: "h-cycle", attributes: cycle }],
    ["a sparse array, once the array with null is cached", { id: "h-sparse", attributes: { tags: [1, null] } }, { id: "h-sparse", attributes: { tags: sparse } }],
    ["-0, once 0 is cached", { id: "h-zero", attributes: { n: 0 } }, { id: "h-zero", attributes: { n: -0 } }],
    ["shared sub-objects", { id: "h-shared", attributes: { a: { x: 1 }, b: { x: 1 } } }, { id: "h-shared", attributes: ((x) => ({ a: x, b: x }))({ x: 1 }) }],
  ];

  it.each(hostile)("answers %s the same whether or not a user with its id is cached", async (_what, valid, input) => {
    const answer = (client: ReturnType<typeof suite.client>) =>
      client.forUser(input as RollgateUser).then(
        (view) => `accepted ${JSON.stringify(view.user)}`,
        (error: unknown) => (error instanceof RollgateConfigError ? error.code : String(error)),
      );
    const cold = suite.client();
    await cold.init();
    const fresh = await answer(cold);
    const warm = suite.client();
    await warm.init();
    const cachedView = await warm.forUser(valid);
    const cached = await answer(warm);
    expect(cached).toBe(fresh);
    // An accepted input with the cached user's key is served the cached user's view.
    if (cached === `accepted ${JSON.stringify(cachedView.user)}`) expect(await warm.forUser(input as RollgateUser)).toBe(cachedView);
  });
});

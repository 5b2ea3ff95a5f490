import type { RollgateUser } from "rollgate";
import { userKey } from "../../src/scope/user-key";

/** The key of a user's scope: two users that could be evaluated differently never share one. */
describe("userKey", () => {
  it("tells apart users that differ in id, email or attributes, and only those", () => {
    const users = [
      { id: "u1" },
      { id: "u2" },
      { id: "u1", email: "a@b.c" },
      { id: "u1", email: "x@b.c" },
      { id: "u1", attributes: { plan: "pro" } },
      { id: "u1", attributes: { plan: "free" } },
      { id: "u1", email: "a@b.c", attributes: { plan: "pro" } },
    ];
    expect(new Set(users.map(userKey)).size).toBe(users.length);
    expect(userKey({ id: "u1", email: "a@b.c", attributes: { plan: "pro" } })).toBe(userKey({ attributes: { plan: "pro" }, email: "a@b.c", id: "u1" }));
    // validateUser keeps an `email: undefined` it was given.
    expect(userKey({ id: "u1", email: undefined, attributes: undefined } as unknown as RollgateUser)).toBe(userKey({ id: "u1" }));
  });

  it("cannot be forged by an id or email that looks like the encoding", () => {
    expect(userKey({ id: 'u1","a@b.c' })).not.toBe(userKey({ id: "u1", email: "a@b.c" }));
    expect(userKey({ id: "u1", email: "null" })).not.toBe(userKey({ id: "u1" }));
  });

  it("throws a TypeError for what JSON cannot encode", () => {
    expect(() => userKey({ id: "u1", attributes: { n: 1n as never } })).toThrow(TypeError);
  });
});

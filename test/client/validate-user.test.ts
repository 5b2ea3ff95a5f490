import { RollgateConfigError } from "rollgate";
import { validateUser } from "../../src/client/validate-user";
import { encodeUserContext } from "../../src/transport/user-context-header";

/** What identify() and forUser() keep of a caller's user: a private, deeply frozen copy. */
describe("validateUser", () => {
  it("copies the user deeply and freezes every level, leaving the caller's object as it was", () => {
    const attributes = { plan: "pro", tags: ["a", { nested: [1, 2] }], limits: { max: 3, none: null } };
    const user = { id: "u1", email: "u1@example.com", attributes };
    const valid = validateUser(user);
    expect(valid).toEqual(user);
    expect(valid).not.toBe(user);
    expect(valid.attributes).not.toBe(attributes);
    expect(valid.attributes!["tags"]).not.toBe(attributes.tags);
    const frozen = [valid, valid.attributes, valid.attributes!["tags"], (valid.attributes!["tags"] as unknown[])[1], valid.attributes!["limits"]];
    expect(frozen.every((value) => Object.isFrozen(value))).toBe(true);
    expect(Object.isFrozen(user) || Object.isFrozen(attributes) || Object.isFrozen(attributes.tags)).toBe(false);
    attributes.plan = "free";
    attributes.tags.push("b");
    expect(valid.attributes).toEqual({ plan: "pro", tags: ["a", { nested: [1, 2] }], limits: { max: 3, none: null } });
  });

  it("keeps an attribute named __proto__ as data, not as the copy's prototype", () => {
    const user = JSON.parse('{"id":"u1","attributes":{"__proto__":{"admin":true},"plan":"pro"}}') as { id: string };
    const valid = validateUser(user);
    expect(Object.getPrototypeOf(valid.attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(valid.attributes, "__proto__")?.value).toEqual({ admin: true });
    expect(Object.keys(valid.attributes!)).toEqual(["__proto__", "plan"]);
    expect(JSON.parse(Buffer.from(encodeUserContext(valid), "base64").toString("utf8"))).toEqual(JSON.parse('{"id":"u1","attributes":{"__proto__":{"admin":true},"plan":"pro"}}'));
  });

  it("drops keys a user does not have, and encodes the copy's header as it would encode any equal user", () => {
    const valid = validateUser({ id: "u1", attributes: { plan: "pro" }, extra: 1 });
    expect(Object.keys(valid)).toEqual(["id", "attributes"]);
    expect(encodeUserContext(valid)).toBe(encodeUserContext({ id: "u1", attributes: { plan: "pro" } }));
  });

  it("refuses an invalid user, or one too large to send", () => {
    expect(() => validateUser({ id: "" })).toThrow(RollgateConfigError);
    expect(() => validateUser({ id: "u", attributes: { f: () => 1 } })).toThrow(RollgateConfigError);
    expect(() => validateUser({ id: "u", attributes: { blob: "x".repeat(9_000) } })).toThrow(/X-User-Context/);
  });
});

import fc from "fast-check";
import { RollgateConfigError } from "rollgate";
import { MAX_USER_CONTEXT_BYTES, validateUser } from "../../src/scope/validate-user";
import { userSchema } from "../../src/options/user-schema";
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

  it("accepts a user whose header is exactly the 8 KiB limit, and refuses the next size up, saying how large it is", () => {
    const withBlob = (length: number) => ({ id: "u", attributes: { blob: "x".repeat(length) } });
    let length = 6_000;
    while (encodeUserContext(withBlob(length)).length < MAX_USER_CONTEXT_BYTES) length++;
    expect(encodeUserContext(withBlob(length)).length).toBe(8_192);
    expect(validateUser(withBlob(length))).toEqual(withBlob(length));
    while (encodeUserContext(withBlob(length)).length === MAX_USER_CONTEXT_BYTES) length++;
    const size = encodeUserContext(withBlob(length)).length;
    let error: unknown;
    try {
      validateUser(withBlob(length));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RollgateConfigError);
    expect(error).toMatchObject({ option: "user.attributes" });
    expect((error as Error).message).toBe(
      `The user is ${size} bytes once encoded for the X-User-Context header, over the 8192-byte limit servers accept; send only the attributes your targeting rules use.`,
    );
  });

  it("accepts exactly what userSchema accepts, and keeps exactly what it outputs", () => {
    const anything = fc.oneof(fc.anything({ maxDepth: 2 }), fc.constant(undefined), fc.constant(null), fc.double(), fc.constant(Number.NaN), fc.constant(() => 1));
    const sometimes = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: anything });
    const attributes = fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), fc.array(fc.jsonValue()), fc.dictionary(fc.string(), anything));
    const user = fc.record({ id: sometimes(fc.string()), email: sometimes(fc.string()), attributes: sometimes(attributes), other: anything }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: user }, { weight: 1, arbitrary: anything }), (raw) => {
        const schema = userSchema.safeParse(raw);
        let valid: unknown;
        try {
          valid = validateUser(raw);
        } catch (error) {
          if (!(error instanceof RollgateConfigError) || /X-User-Context/.test(error.message)) throw error;
          valid = undefined;
        }
        expect(valid !== undefined).toBe(schema.success);
        if (schema.success) {
          expect(Object.keys(valid as object)).toEqual(Object.keys(schema.data));
          expect(valid).toEqual(schema.data);
        }
      }),
      { numRuns: 20_000 },
    );
  });
});

import type { EvaluationUser, JsonValue } from "../../src/model/flag-model";
import { userAttributes } from "../../src/evaluation/user-attributes";

const asObject = (user: EvaluationUser): Record<string, JsonValue> => Object.fromEntries(userAttributes(user));

describe("userAttributes (PROTOCOL.md §3.5)", () => {
  it("always has id, forced to the user id", () => {
    expect(asObject({ id: "u1", attributes: { id: "impostor", plan: "pro" } })).toEqual({ id: "u1", plan: "pro" });
  });

  it("has id \"\" for an anonymous user", () => {
    expect(asObject({ id: "" })).toEqual({ id: "" });
  });

  it("has email only if one was supplied", () => {
    expect(userAttributes({ id: "u1" }).has("email")).toBe(false);
    expect(asObject({ id: "u1", email: "a@b.c" })).toEqual({ id: "u1", email: "a@b.c" });
  });

  it("lets attributes.email win over the top-level email", () => {
    expect(asObject({ id: "u1", email: "top@b.c", attributes: { email: "attr@b.c" } })).toEqual({
      id: "u1",
      email: "attr@b.c",
    });
  });

  it("takes an attributes.email without a top-level email", () => {
    expect(asObject({ id: "u1", attributes: { email: "attr@b.c" } }).email).toBe("attr@b.c");
  });

  it("treats an empty top-level email as not supplied, as Go cannot tell it from a missing one", () => {
    expect(userAttributes({ id: "u1", email: "" }).has("email")).toBe(false);
  });

  it("reads attributes: null (as JSON may carry it) as no attributes", () => {
    const user = JSON.parse('{"id": "u1", "attributes": null}') as EvaluationUser;
    expect(asObject(user)).toEqual({ id: "u1" });
  });

  it("keeps every other attribute with its JSON value, null included", () => {
    const attributes = { plan: "pro", age: 18, beta: true, tags: ["a"], meta: { k: 1 }, nothing: null };
    expect(asObject({ id: "u1", attributes })).toEqual({ id: "u1", ...attributes });
  });

  it("keeps attributes named like Object.prototype members as plain entries", () => {
    const attributes = JSON.parse('{"__proto__": "x", "constructor": "y"}') as Record<string, JsonValue>;
    const map = userAttributes({ id: "u1", attributes });
    expect(map.get("__proto__")).toBe("x");
    expect(map.get("constructor")).toBe("y");
    expect(map.has("toString")).toBe(false);
  });
});

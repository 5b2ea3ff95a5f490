import { IdentifySessions } from "../../src/server/identify-sessions";

describe("IdentifySessions", () => {
  it("stores email as an attribute, with attributes.email winning", () => {
    const sessions = new IdentifySessions();
    sessions.store({ id: "u1", email: "top@example.com", attributes: { plan: "pro" } });
    expect(sessions.userFor("u1")).toEqual({ id: "u1", attributes: { email: "top@example.com", plan: "pro" } });
    sessions.store({ id: "u1", email: "top@example.com", attributes: { email: "attr@example.com" } });
    expect(sessions.userFor("u1").attributes).toEqual({ email: "attr@example.com" });
  });

  it("replaces a session entirely, so an identify without attributes blanks it", () => {
    const sessions = new IdentifySessions();
    sessions.store({ id: "u1", attributes: { plan: "pro" } });
    sessions.store({ id: "u1" });
    expect(sessions.userFor("u1")).toEqual({ id: "u1", attributes: {} });
  });

  it("ignores the empty id and answers a bare user for unknown ids", () => {
    const sessions = new IdentifySessions();
    sessions.store({ id: "", attributes: { plan: "pro" } });
    expect(sessions.userFor("")).toEqual({ id: "" });
    expect(sessions.userFor("nobody")).toEqual({ id: "nobody" });
  });
});

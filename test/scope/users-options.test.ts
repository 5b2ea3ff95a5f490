import { RollgateConfigError, type UsersOptions } from "rollgate";
import { resolveOptions } from "../../src/client/resolve-options";
import { USERS_DEFAULTS, resolveUsersOptions } from "../../src/scope/users-options";

const KEY = "rg_server_secret_0123456789";

function rejection(users: unknown): RollgateConfigError {
  try {
    resolveOptions({ apiKey: KEY, users } as never);
  } catch (error) {
    if (error instanceof RollgateConfigError) return error;
    throw error;
  }
  throw new Error("accepted");
}

/** The `users` option as a user writes it: what is kept, what each bound says when crossed. */
describe("the users option", () => {
  it("fills every setting left out with its default, and keeps every one given", () => {
    expect(resolveUsersOptions(undefined)).toEqual({ maxUsers: 1_000, idleTimeout: 600, persist: false, revalidate: "background", maxStale: 300, maxPending: 2_000 });
    expect(resolveUsersOptions({})).toEqual(USERS_DEFAULTS);
    const given: Required<UsersOptions> = { maxUsers: 7, idleTimeout: 9, persist: true, revalidate: "wait", maxStale: 0, maxPending: 3 };
    expect(resolveUsersOptions(given)).toEqual(given);
    // One at a time: each setting is read from its own key.
    for (const [key, value] of Object.entries(given)) {
      expect(resolveUsersOptions({ [key]: value })).toEqual({ ...USERS_DEFAULTS, [key]: value });
    }
    expect(Object.isFrozen(resolveUsersOptions({ maxUsers: 2 }))).toBe(true);
    expect(resolveOptions({ apiKey: KEY, users: { maxUsers: 2, revalidate: "wait" } }).users).toEqual({ ...USERS_DEFAULTS, maxUsers: 2, revalidate: "wait" });
  });

  it("accepts each bound itself", () => {
    for (const users of [{ maxUsers: 1 }, { maxUsers: 10_000_000 }, { maxPending: 1 }, { maxPending: 1_000_000 }, { persist: false }, { revalidate: "background" as const }]) {
      expect(resolveOptions({ apiKey: KEY, users }).users).toMatchObject(users);
    }
  });

  it.each<[string, unknown, string, string]>([
    ["a fractional maxUsers", { maxUsers: 1.5 }, "users.maxUsers", "expected a whole number of users"],
    ["a zero maxUsers", { maxUsers: 0 }, "users.maxUsers", "expected at least 1 user"],
    ["a maxUsers over ten million", { maxUsers: 10_000_001 }, "users.maxUsers", "expected at most 10,000,000 users"],
    ["a fractional maxPending", { maxPending: 2.5 }, "users.maxPending", "expected a whole number of requests"],
    ["a zero maxPending", { maxPending: 0 }, "users.maxPending", "expected at least 1 request"],
    ["a maxPending over a million", { maxPending: 1_000_001 }, "users.maxPending", "expected at most 1,000,000 requests"],
    ["a string persist", { persist: "yes" }, "users.persist", "expected true or false"],
    ["an unknown revalidate", { revalidate: "never" }, "users.revalidate", 'expected "background" or "wait"'],
    ["an idleTimeout under a second", { idleTimeout: 0.5 }, "users.idleTimeout", "expected an idle lifetime of at least 1 s"],
    ["a negative maxStale", { maxStale: -1 }, "users.maxStale", "expected a staleness bound of at least 0 s"],
    ["an unknown setting", { maxUser: 5 }, "users", 'Unrecognized key: "maxUser"'],
  ])("refuses %s, naming the setting and saying what it expects", (_what, users, option, expected) => {
    const error = rejection(users);
    expect(error.option).toBe(option);
    expect(error.message.split("; got ")[0]).toBe(`Invalid option ${option}: ${expected}`);
  });
});

import type { RollgateOptions, RollgateUser } from "rollgate";
import { useClientSuite } from "../support/client-suite";
import { flagRequests } from "../support/test-client";

/**
 * The per-request users kept in memory (UserEntries), as `forUser` shows them: which user a call
 * finds, which one eviction drops, and that every user made is closed with the client
 * (mutation testing, issue 25: each test fails on a mutant that survived the rest of the suite).
 */
describe("the users kept in memory", () => {
  const suite = useClientSuite();
  const virtual = (options: Partial<RollgateOptions> = {}) => suite.virtual(options);

  const requestsFor = (id: string) => flagRequests(suite.server).filter((r) => r.query["user_id"] === id);

  /** A user whose `attributes` getter answers `first` on its first read, `{ plan: "pro" }` after. */
  function changing(id: string, first: () => unknown): RollgateUser {
    let reads = 0;
    return {
      id,
      get attributes() {
        reads++;
        return (reads === 1 ? first() : { plan: "pro" }) as Record<string, never>;
      },
    };
  }

  it("gives a user whose getters answer differently on each read its own flags, closed with the client", async () => {
    // The first read (the cached-user lookup) refuses or throws; validateUser, reading again,
    // accepts: the user is then keyed by the copy validateUser made, never by what was read first.
    const { client } = virtual();
    await client.init();
    const users = [
      changing("nan-1", () => ({ plan: Number.NaN })),
      changing("nan-2", () => ({ plan: Number.NaN })),
      changing("throws-1", () => {
        throw new Error("first read");
      }),
      changing("throws-2", () => {
        throw new Error("first read");
      }),
    ];
    const completed: string[] = [];
    for (const user of users) {
      const view = await client.forUser(user);
      expect(view.user).toEqual({ id: user.id, attributes: { plan: "pro" } });
      view.flag$("anything").subscribe({ complete: () => completed.push(user.id) });
    }
    expect(users.map((user) => requestsFor(user.id).length)).toEqual([1, 1, 1, 1]);
    // Each is found again through a plain equal user, with no request.
    for (const { id } of users) expect((await client.forUser({ id, attributes: { plan: "pro" } })).user.id).toBe(id);
    expect(users.map((user) => requestsFor(user.id).length)).toEqual([1, 1, 1, 1]);
    await client.close();
    expect(completed.sort()).toEqual(["nan-1", "nan-2", "throws-1", "throws-2"]);
  });

  it("counts recency to the second: a user asked for again within a second of its last use keeps its place", async () => {
    const { client, net } = virtual({ users: { maxUsers: 2 } });
    await client.init();
    await client.forUser({ id: "a" });
    await net.advance(500);
    await client.forUser({ id: "b" });
    // Exactly one second after "a" was last counted as used: not yet more recent than "b".
    await net.advance(500);
    await client.forUser({ id: "a" });
    await net.advance(10);
    await client.forUser({ id: "c" });
    // "a" was the least recently used (to the second): dropped, and fetched again when asked for.
    expect(requestsFor("a")).toHaveLength(1);
    await client.forUser({ id: "b" });
    expect(requestsFor("b")).toHaveLength(1);
    await client.forUser({ id: "a" });
    expect(requestsFor("a")).toHaveLength(2);
  });

  it("moves a user asked for again more than a second after its last use behind the others", async () => {
    const { client, net } = virtual({ users: { maxUsers: 2 } });
    await client.init();
    await client.forUser({ id: "a" });
    await net.advance(500);
    await client.forUser({ id: "b" });
    await net.advance(501);
    await client.forUser({ id: "a" });
    await client.forUser({ id: "c" });
    // Now "b" was the least recently used.
    await client.forUser({ id: "a" });
    expect(requestsFor("a")).toHaveLength(1);
    await client.forUser({ id: "b" });
    expect(requestsFor("b")).toHaveLength(2);
  });
});

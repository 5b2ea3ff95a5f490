import type { RollgateClient, RollgateUser } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { cacheFileNames } from "../../support/cache-files";
import { TempDirs } from "../../support/temp-dirs";
import { clientFor, startTestServer } from "../../support/test-client";

// One cache entry per base URL + API key + user (issue 6): one user's flags are never served
// to another, neither by a fresh client nor across identify().

/** user-target is on for this user only (TEST_FLAGS targets "user-9"). */
const TARGETED: RollgateUser = { id: "user-9" };
/** pro-only is on and theme is dark for this user only (rules on plan = pro). */
const PRO: RollgateUser = { id: "user-pro", attributes: { plan: "pro" } };

/** The values that tell the two users apart, as a client serves them. */
function profile(client: RollgateClient) {
  return {
    target: client.isEnabled("user-target", false),
    pro: client.isEnabled("pro-only", false),
    theme: client.getString("theme", "none"),
    perPage: client.getNumber("results-per-page", 0),
  };
}

const TARGETED_PROFILE = { target: true, pro: false, theme: "light" };
const PRO_PROFILE = { target: false, pro: true, theme: "dark" };

describe("per-user cache entries", () => {
  const dirs = new TempDirs("rollgate-users-");
  let server: RollgateServer;
  const clients: RollgateClient[] = [];
  const track = (client: RollgateClient) => (clients.push(client), client);
  /** A client of the same server and cache dir, one attempt per fetch (the server may be down). */
  const cachedClient = (dir: string, user?: RollgateUser) =>
    track(clientFor(server, { cache: { dir }, refreshInterval: 0, retry: { maxRetries: 0 }, ...(user === undefined ? {} : { user }) }));

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server.close();
    await dirs.removeAll();
  });

  it("never mix: after identify A, a change and identify B, fresh clients see A's and B's own flags while the server is down", async () => {
    const dir = await dirs.make();
    const session = cachedClient(dir);
    await session.init();
    await session.identify(TARGETED);
    expect(profile(session)).toMatchObject({ ...TARGETED_PROFILE, perPage: 50 });
    server.setFlag({ key: "results-per-page", enabled: true, rolloutPercentage: 100, variations: { small: 10, large: 50 }, defaultVariation: "small" });
    await session.refresh();
    await session.identify(PRO);
    expect(profile(session)).toMatchObject({ ...PRO_PROFILE, perPage: 10 });
    await session.close();
    // Anonymous, A and B: three entries.
    expect(await cacheFileNames(dir)).toHaveLength(3);
    await server.close();

    const targeted = cachedClient(dir, TARGETED);
    const pro = cachedClient(dir, PRO);
    const anonymous = cachedClient(dir);
    await Promise.all([targeted.init(), pro.init(), anonymous.init()]);
    expect(profile(targeted)).toEqual({ ...TARGETED_PROFILE, perPage: 10 });
    expect(profile(pro)).toEqual({ ...PRO_PROFILE, perPage: 10 });
    expect(profile(anonymous)).toEqual({ target: false, pro: false, theme: "light", perPage: 50 });
    for (const client of [targeted, pro, anonymous]) expect(client.getStatus()).toMatchObject({ source: "cache", stale: true });
  });

  it("keep a user without an entry on defaults, even when another user of the same dir has one", async () => {
    const dir = await dirs.make();
    const writer = cachedClient(dir, TARGETED);
    await writer.init();
    await writer.close();
    await server.close();

    const stranger = cachedClient(dir, { id: "someone-else" });
    await stranger.init();
    expect(stranger.getStatus()).toMatchObject({ source: "defaults" });
    expect(stranger.getAllFlags()).toEqual({});
  });

  it("do not save the previous user's flags for a user identified while the server is down", async () => {
    const dir = await dirs.make();
    const session = cachedClient(dir, TARGETED);
    await session.init();
    await server.close();
    await session.identify(PRO);
    await session.close();
    expect(await cacheFileNames(dir)).toHaveLength(1);

    const pro = cachedClient(dir, PRO);
    await pro.init();
    expect(pro.getStatus().source).toBe("defaults");
    expect(profile(pro)).toEqual({ target: false, pro: false, theme: "none", perPage: 0 });
  });

  it("serve the new user's cached flags when identify() cannot reach the server", async () => {
    const dir = await dirs.make();
    const earlier = cachedClient(dir, PRO);
    await earlier.init();
    await earlier.close();

    const session = cachedClient(dir, TARGETED);
    await session.init();
    expect(profile(session)).toMatchObject(TARGETED_PROFILE);
    await server.close();
    await session.identify(PRO);
    expect(profile(session)).toMatchObject(PRO_PROFILE);
    expect(session.getStatus()).toMatchObject({ source: "cache", stale: true });
  });

  it("load the new user's entry on identify() and then take the server's flags for that user", async () => {
    const dir = await dirs.make();
    const earlier = cachedClient(dir, PRO);
    await earlier.init();
    await earlier.close();
    server.setFlag({ key: "theme", enabled: true, rolloutPercentage: 100, variations: { light: "light", dark: "dark", neon: "neon" }, defaultVariation: "light", rules: [
      { id: "pro-neon", enabled: true, rolloutPercentage: 100, variation: "neon", conditions: [{ attribute: "plan", operator: "eq", value: "pro" }] },
    ] });

    const session = cachedClient(dir, TARGETED);
    await session.init();
    const themes: string[] = [];
    session.flag$("theme", "none").subscribe((theme) => themes.push(theme));
    await session.identify(PRO);
    expect(session.getString("theme", "none")).toBe("neon");
    expect(session.getStatus()).toMatchObject({ source: "server", stale: false });
    // The cached "dark" may show between A's "light" and the server's "neon"; A's flags never follow B's.
    expect(themes[0]).toBe("light");
    expect(themes.at(-1)).toBe("neon");
    expect(themes.filter((theme) => theme === "light")).toHaveLength(1);
  });
});

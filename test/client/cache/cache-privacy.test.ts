import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { RollgateClient } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { TempDirs } from "../../support/temp-dirs";
import { clientFor, startTestServer } from "../../support/test-client";

// The cache directory is the user's alone (0700, files 0600) and holds flags only: the API key
// and the user ids are hashed into file names, never written (issue 6, DESIGN.md "Secrets").

const API_KEY = "rg_server_Pr1vateKey-do-not-leak";
const ALICE = { id: "alice-7f3a-private-id", email: "alice@private.example", attributes: { plan: "pro" } };
const BOB = { id: "bob-91c2-private-id", email: "bob@private.example" };

/** Every entry under `dir` (recursively), with its mode and, for files, its contents. */
async function walk(dir: string): Promise<{ path: string; name: string; mode: number; isDirectory: boolean; contents: string }[]> {
  const found = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const info = await stat(path);
    if (info.isDirectory()) {
      found.push({ path, name, mode: info.mode & 0o777, isDirectory: true, contents: "" }, ...(await walk(path)));
    } else {
      found.push({ path, name, mode: info.mode & 0o777, isDirectory: false, contents: await readFile(path, "utf8") });
    }
  }
  return found;
}

describe("the cache directory after a full session", () => {
  const dirs = new TempDirs("rollgate-privacy-");
  let server: RollgateServer;
  const clients: RollgateClient[] = [];

  beforeEach(async () => {
    server = await startTestServer({ apiKey: API_KEY, v2ETag: true });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server.close();
    await dirs.removeAll();
  });

  /** init with Alice, a change, identify Bob, reset, identify Alice again, another change, close. */
  async function fullSession(dir: string): Promise<void> {
    const client = clientFor(server, { cache: { dir }, user: ALICE, refreshInterval: 0 });
    clients.push(client);
    await client.init();
    server.setFlag({ key: "new-feature", enabled: false });
    await client.refresh();
    await client.identify(BOB);
    await client.reset();
    await client.identify(ALICE);
    server.setFlag({ key: "off-feature", enabled: true, rolloutPercentage: 100 });
    await client.refresh();
    expect(client.isEnabled("off-feature", false)).toBe(true);
    await client.close();
  }

  it("is created 0700, with entry files 0600 and no temporary file left", async () => {
    const dir = join(await dirs.make(), "nested", "rollgate");
    await fullSession(dir);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const entries = await walk(dir);
    // Alice, Bob and the anonymous user; nothing else (no temporary file, no subdirectory).
    expect(entries).toHaveLength(3);
    for (const entry of entries) expect(entry.name).toMatch(/^flags-[0-9a-f]{32}\.json$/);
    for (const entry of entries) expect({ name: entry.name, mode: entry.mode.toString(8) }).toEqual({ name: entry.name, mode: "600" });
  });

  it("names and contains neither the API key nor any user id or email", async () => {
    const dir = await dirs.make();
    await fullSession(dir);
    const entries = await walk(dir);
    expect(entries.length).toBeGreaterThan(0);
    const secrets = [API_KEY, ALICE.id, ALICE.email, BOB.id, BOB.email, server.url];
    for (const entry of entries) {
      for (const secret of secrets) {
        expect({ name: entry.name, leaks: entry.name.includes(secret) || entry.contents.includes(secret) }).toEqual({ name: entry.name, leaks: false });
      }
      // The key is not in there in a lightly disguised form either.
      expect(entry.contents).not.toContain(Buffer.from(API_KEY).toString("base64"));
      expect(entry.contents).not.toContain("Pr1vateKey");
    }
  });
});

import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CacheError, MemoryCacheStore, RollgateClient, type CacheStore, type RollgateEvent } from "rollgate";
import type { RollgateServer } from "rollgate/server";
import { cacheFileNames, onlyCacheFile, readCacheFile } from "../../support/cache-files";
import { TempDirs } from "../../support/temp-dirs";
import { clientFor, RecordingLogger, startTestServer } from "../../support/test-client";
import { eventually, settle, VirtualClock } from "../../support/virtual-clock";

// Nothing about the cache can make init() reject or a getter throw (issue 6): a bad entry is
// ignored with a warning and replaced on the next good save, and a store that cannot save
// turns persistence off with one warning and one `error` event, the client going on in memory.

const LOAD_WARNING = /Could not read the flag cache/;
const PARSE_WARNING = /Ignoring the flag cache entry/;
const SAVE_WARNING = /cache not writable; continuing in memory only/;

/** Calls every getter; any throw fails the test. Returns what they answered. */
function readEverything(client: RollgateClient) {
  return {
    flag: client.isEnabled("new-feature", false),
    theme: client.getString("theme", "default-theme"),
    perPage: client.getNumber("results-per-page", -1),
    config: client.getJson("feature-config", {}),
    value: client.getValue("theme", "default-theme"),
    detail: client.isEnabledDetail("new-feature", false).value,
    all: Object.keys(client.getAllFlags()).length,
    status: client.getStatus().source,
  };
}

describe("a cache that cannot be used", () => {
  const dirs = new TempDirs("rollgate-broken-cache-");
  let server: RollgateServer;
  const clients: RollgateClient[] = [];

  /** A client with a recording logger and its events; one attempt per fetch. */
  function watchedClient(cache: { dir: string } | { store: CacheStore }, extra: Parameters<typeof clientFor>[1] = {}) {
    const logger = new RecordingLogger();
    const client = clientFor(server, { cache, logger, refreshInterval: 0, retry: { maxRetries: 0 }, ...extra });
    clients.push(client);
    const events: RollgateEvent[] = [];
    client.events$.subscribe((event) => events.push(event));
    const warnings = (pattern: RegExp) => logger.messages.filter((m) => m.level === "warn" && pattern.test(m.message));
    const cacheErrors = () => events.filter((event) => event.type === "error" && event.error instanceof CacheError);
    return { client, logger, warnings, cacheErrors };
  }

  /** Changes a flag on the server and has the client fetch it, `times` times. */
  async function changeFlags(client: RollgateClient, times: number): Promise<void> {
    for (let n = 1; n <= times; n++) {
      server.setFlag({ key: "results-per-page", enabled: true, rolloutPercentage: 100, variations: { n: 100 + n }, defaultVariation: "n" });
      await client.refresh();
      expect(client.getNumber("results-per-page", -1)).toBe(100 + n);
    }
    await settle();
  }

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server.close();
    await dirs.removeAll();
  });

  describe("a bad entry file", () => {
    it.each([
      { entry: "corrupt", mangle: () => "{ this is not json", reason: /not valid JSON/ },
      { entry: "truncated", mangle: (valid: string) => valid.slice(0, Math.floor(valid.length / 2)), reason: /not valid JSON/ },
      { entry: "empty", mangle: () => "", reason: /not valid JSON/ },
      { entry: "of another format version", mangle: (valid: string) => valid.replace('"version":1', '"version":99'), reason: /format version 99/ },
      { entry: "without a version", mangle: (valid: string) => valid.replace('"version":1,', ""), reason: /format version \(missing\)/ },
      { entry: "with a flag of the wrong shape", mangle: (valid: string) => valid.replace('"enabled":true', '"enabled":"yes"'), reason: /flags\.[\w-]+\.enabled/ },
      { entry: "a JSON array", mangle: () => "[]", reason: /not a JSON object/ },
    ])("that is $entry is ignored with a warning, serves defaults while the server is down, and is replaced by the next good save", async ({ mangle, reason }) => {
      const dir = await dirs.make();
      const writer = clientFor(server, { cache: { dir } });
      await writer.init();
      await writer.close();
      const file = await onlyCacheFile(dir);
      await writeFile(file, mangle(await readFile(file, "utf8")));

      server.faults.failFlags({ status: 503, count: "all" });
      const { client, warnings, cacheErrors } = watchedClient({ dir });
      await expect(client.init()).resolves.toBeUndefined();
      expect(warnings(PARSE_WARNING)).toHaveLength(1);
      expect(warnings(PARSE_WARNING)[0]!.message).toMatch(reason);
      expect(readEverything(client)).toMatchObject({ flag: false, theme: "default-theme", all: 0, status: "defaults" });
      expect(client.getStatus()).toMatchObject({ ready: true, stale: true });

      server.faults.clear();
      await client.refresh();
      expect(readEverything(client)).toMatchObject({ flag: true, theme: "light", status: "server" });
      await client.close();
      const replaced = await readCacheFile(file);
      expect(replaced.ok && replaced.entry.flags.get("theme")?.value).toBe("light");
      expect(cacheErrors()).toEqual([]);
    });
  });

  it("a directory in place of the entry file: one warning for the read, one for the failed save with an error event, the client working in memory", async () => {
    const dir = await dirs.make();
    const writer = clientFor(server, { cache: { dir } });
    await writer.init();
    await writer.close();
    const [name] = await cacheFileNames(dir);
    const file = join(dir, name!);
    await rm(file);
    await mkdir(join(file, "occupied"), { recursive: true });

    const { client, warnings, cacheErrors } = watchedClient({ dir });
    await expect(client.init()).resolves.toBeUndefined();
    expect(warnings(LOAD_WARNING)).toHaveLength(1);
    await eventually(() => cacheErrors().length === 1, 5_000, "the first save to fail");
    await changeFlags(client, 3);
    expect(readEverything(client)).toMatchObject({ flag: true, perPage: 103, status: "server" });
    await expect(client.close()).resolves.toBeUndefined();
    expect(warnings(SAVE_WARNING)).toHaveLength(1);
    expect(cacheErrors()).toHaveLength(1);
  });

  it("an unwritable location (a dir under a regular file): init resolves with the server's flags, one save warning and one error event however many changes", async () => {
    const parent = await dirs.make();
    const blocker = join(parent, "not-a-directory");
    await writeFile(blocker, "I am a file");
    const dir = join(blocker, "rollgate");

    const { client, warnings, cacheErrors } = watchedClient({ dir });
    await expect(client.init()).resolves.toBeUndefined();
    // ENOTDIR on read means there is no entry; the location's problem is reported once, by the save.
    expect(warnings(LOAD_WARNING)).toHaveLength(0);
    expect(readEverything(client)).toMatchObject({ flag: true, theme: "light", status: "server" });
    await eventually(() => cacheErrors().length === 1, 5_000, "the first save to fail");
    await changeFlags(client, 5);
    expect(client.getStatus()).toMatchObject({ ready: true, source: "server", stale: false });
    await expect(client.close()).resolves.toBeUndefined();
    expect(warnings(SAVE_WARNING)).toHaveLength(1);
    expect(cacheErrors()).toHaveLength(1);
    const [event] = cacheErrors();
    expect(event).toMatchObject({ type: "error", error: { code: "CACHE_ERROR" } });
  });

  describe("a store whose load or save fails", () => {
    /** A store whose load and save behave as given (delegating to memory otherwise), counting saves. */
    function faultyStore(fault: { load?: () => Promise<string | undefined>; save?: () => Promise<void> }) {
      const memory = new MemoryCacheStore();
      const calls = { saves: 0 };
      const store: CacheStore = {
        load: (key) => (fault.load ?? (() => memory.load(key)))(),
        save: (key, data) => {
          calls.saves++;
          return (fault.save ?? (() => memory.save(key, data)))();
        },
      };
      return { store, calls };
    }
    const throwsNow = (): never => {
      throw new Error("store exploded synchronously");
    };

    it.each([
      { store: "whose load throws synchronously", fault: { load: throwsNow }, loadWarnings: 1, parseWarnings: 0 },
      { store: "whose load rejects", fault: { load: () => Promise.reject(new Error("connection reset")) }, loadWarnings: 1, parseWarnings: 0 },
      { store: "whose load rejects with a non-Error", fault: { load: () => Promise.reject("nope") }, loadWarnings: 1, parseWarnings: 0 },
      { store: "whose load resolves a non-string", fault: { load: () => Promise.resolve(42 as unknown as string) }, loadWarnings: 0, parseWarnings: 1 },
      { store: "whose load resolves null", fault: { load: () => Promise.resolve(null as unknown as string) }, loadWarnings: 0, parseWarnings: 1 },
    ])("a store $store: init() resolves with the server's flags after a warning, and saves go on", async ({ fault, loadWarnings, parseWarnings }) => {
      const { store, calls } = faultyStore(fault);
      const { client, warnings, cacheErrors } = watchedClient({ store });
      await expect(client.init()).resolves.toBeUndefined();
      expect(warnings(LOAD_WARNING)).toHaveLength(loadWarnings);
      expect(warnings(PARSE_WARNING)).toHaveLength(parseWarnings);
      expect(readEverything(client)).toMatchObject({ flag: true, theme: "light", status: "server" });
      await changeFlags(client, 2);
      expect(calls.saves).toBe(3);
      expect(cacheErrors()).toEqual([]);
    });

    it.each([
      { store: "whose save throws synchronously", fault: { save: throwsNow } },
      { store: "whose save rejects", fault: { save: () => Promise.reject(new Error("READONLY You can't write against a read only replica.")) } },
      { store: "whose save rejects with a non-Error", fault: { save: () => Promise.reject("disk full") } },
    ])("a store $store: one warning, one error event with a CacheError, then no more saves; the client works in memory", async ({ fault }) => {
      const { store, calls } = faultyStore(fault);
      const { client, warnings, cacheErrors } = watchedClient({ store });
      await expect(client.init()).resolves.toBeUndefined();
      await eventually(() => cacheErrors().length === 1, 5_000, "the first save to fail");
      await changeFlags(client, 4);
      expect(warnings(SAVE_WARNING)).toHaveLength(1);
      expect(cacheErrors()).toHaveLength(1);
      expect(calls.saves).toBe(1);
      expect(readEverything(client)).toMatchObject({ flag: true, perPage: 104, status: "server" });
      expect(client.getStatus()).toMatchObject({ stale: false, lastError: undefined });
      await expect(client.close()).resolves.toBeUndefined();
    });

    it("a store whose load and save both fail, with the server down: init() resolves on defaults and the getters answer", async () => {
      server.faults.failFlags({ status: 503, count: "all" });
      const { store } = faultyStore({ load: () => Promise.reject(new Error("down")), save: () => Promise.reject(new Error("down")) });
      const { client, warnings } = watchedClient({ store });
      await expect(client.init()).resolves.toBeUndefined();
      expect(warnings(LOAD_WARNING)).toHaveLength(1);
      expect(readEverything(client)).toEqual({ flag: false, theme: "default-theme", perPage: -1, config: {}, value: "default-theme", detail: false, all: 0, status: "defaults" });
      expect(client.getStatus()).toMatchObject({ ready: true, stale: true });
    });

    it("a store whose load never settles: init() goes to the network after initTimeout (virtual) and a late answer never replaces the server's flags", async () => {
      const clock = new VirtualClock();
      let answerLoad!: (text: string | undefined) => void;
      const hanging = new Promise<string | undefined>((resolve) => (answerLoad = resolve));
      const { store } = faultyStore({ load: () => hanging });
      const { client } = watchedClient({ store }, { scheduler: clock.scheduler, initTimeout: 5 });
      let settled = false;
      const init = client.init().then(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(settled).toBe(false);
      clock.advanceBy(5_000);
      await init;
      expect(readEverything(client)).toMatchObject({ flag: true, status: "server" });

      // An old entry in which new-feature is off turns up after all.
      const old = JSON.stringify({ version: 1, savedAt: 0, flags: { "new-feature": { type: "boolean", enabled: false, value: false, reason: { kind: "OFF" } } } });
      answerLoad(old);
      await settle();
      expect(readEverything(client)).toMatchObject({ flag: true, status: "server" });
    });
  });

  it("a failed save with nobody listening to events$ only warns: init resolves, getters answer, close resolves", async () => {
    const logger = new RecordingLogger();
    const store: CacheStore = { load: () => Promise.resolve(undefined), save: () => Promise.reject(new Error("nope")) };
    const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: { store }, logger, refreshInterval: 0 });
    clients.push(client);
    await expect(client.init()).resolves.toBeUndefined();
    await eventually(() => logger.messages.some((m) => SAVE_WARNING.test(m.message)), 5_000, "the save warning");
    expect(client.isEnabled("new-feature", false)).toBe(true);
    await expect(client.close()).resolves.toBeUndefined();
  });
});

import { execFileSync } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RollgateConfigError } from "../../src/errors";
import { silentLogger, type Logger } from "../../src/logger/logger";
import { FlagsFileError, startServer, type FlagDefinition, type RollgateServer } from "../../src/server";
import { API_KEY, call, json } from "./support/http-client";
import { openSse } from "./support/sse-reader";

describe("startServer", () => {
  it("listens on 127.0.0.1 with a free port and the default key", async () => {
    await using server = await startServer({ logger: silentLogger });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    expect(server.apiKey).toBe("rg_server_local_dev_key");
    expect((await call(server, "/api/v1/sdk/flags")).status).toBe(200);
  });

  it("uses the configured API key", async () => {
    await using server = await startServer({ logger: silentLogger, apiKey: "rg_custom" });
    expect((await call(server, "/api/v1/sdk/flags")).status).toBe(401);
    expect((await call(server, "/api/v1/sdk/flags", { auth: false, headers: { authorization: "Bearer rg_custom" } })).status).toBe(200);
  });

  it.each([
    ["port", { port: 70000 }],
    ["port", { port: 1.5 }],
    ["apiKey", { apiKey: "" }],
    ["heartbeatInterval", { heartbeatInterval: -1 }],
    ["maxBodyBytes", { maxBodyBytes: 0 }],
    ["watch", { watch: true }],
    ["adminToken", { adminToken: "" }],
  ])("refuses an invalid %s option", async (option, options) => {
    const attempt = startServer({ logger: silentLogger, ...options });
    await expect(attempt).rejects.toBeInstanceOf(RollgateConfigError);
    await expect(attempt).rejects.toMatchObject({ option });
  });

  it("refuses invalid initial flags with a FlagsFileError", async () => {
    await expect(startServer({ logger: silentLogger, flags: [{ key: "a", enabled: true, rolloutPercentage: 200 }] })).rejects.toThrow(
      "flags[0].rolloutPercentage: expected a number from 0 to 100",
    );
  });

  it("rejects with EADDRINUSE when the port is taken", async () => {
    await using first = await startServer({ logger: silentLogger });
    await expect(startServer({ logger: silentLogger, port: first.port })).rejects.toMatchObject({ code: "EADDRINUSE" });
  });

  it("closes idempotently", async () => {
    const server = await startServer({ logger: silentLogger });
    const first = server.close();
    const second = server.close();
    expect(second).toBe(first);
    await first;
    await expect(call(server, "/health")).rejects.toThrow();
  });
});

describe("the server handle", () => {
  let server: RollgateServer;

  beforeEach(async () => {
    server = await startServer({ logger: silentLogger, heartbeatInterval: 0, flags: [{ key: "a", enabled: true, rolloutPercentage: 100 }] });
  });

  afterEach(async () => {
    await server.close();
  });

  it("changes flags and segments, validating them", async () => {
    expect(server.setFlag({ key: "b", enabled: true, rolloutPercentage: 100 })).toEqual(["b"]);
    expect(server.setFlag({ key: "b", enabled: true, rolloutPercentage: 100 })).toEqual([]);
    expect(() => server.setFlag({ key: "b", enabled: true, rolloutPercentage: 101 })).toThrow(FlagsFileError);
    expect(() => server.setFlag({ key: "c", enabled: true, rules: [{ id: "r", enabled: true, conditions: [{ attribute: "segment", operator: "in", value: "s" }] }] })).toThrow(
      'expected a known segment id, got "s"',
    );
    expect(server.setSegment("s", { conditions: [{ attribute: "plan", operator: "eq", value: "pro" }] })).toEqual([]);
    expect(server.setFlag({ key: "c", enabled: true, rules: [{ id: "r", enabled: true, conditions: [{ attribute: "segment", operator: "in", value: "s" }], rolloutPercentage: 100 }] })).toEqual(["c"]);
    expect(server.setSegment("s", { conditions: [] })).toEqual(["c"]);
    expect(server.deleteSegment("s")).toEqual(["c"]);
    expect(server.deleteFlag("b")).toEqual(["b"]);
    expect(server.deleteFlag("b")).toEqual([]);
    expect(server.getFlag("a")).toEqual({ key: "a", enabled: true, rolloutPercentage: 100 });
    expect(server.replaceFlags([{ key: "a", enabled: true, rolloutPercentage: 100 }])).toEqual(["c"]);
    expect(server.getFlags()).toEqual({ flags: [{ key: "a", enabled: true, rolloutPercentage: 100 }], segments: {} });
    expect(json(await call(server, "/api/v1/sdk/flags"))).toEqual({ flags: { a: true } });
  });

  it("records identifies, events and telemetry until cleared", async () => {
    await call(server, "/api/v1/sdk/identify", { method: "POST", body: '{"user":{"id":"u1"}}' });
    await call(server, "/api/v1/sdk/events", { method: "POST", body: '{"events":[{"flagKey":"a","eventName":"e","userId":"u1"}]}' });
    await call(server, "/api/v1/sdk/telemetry", { method: "POST", body: '{"evaluations":{"a":{"total":2,"true":2,"false":0}},"period_ms":10}' });
    expect(server.received.identifies).toHaveLength(1);
    expect(server.received.events).toEqual([{ flagKey: "a", eventName: "e", userId: "u1" }]);
    expect(server.received.telemetry).toEqual([{ evaluations: { a: { total: 2, true: 2, false: 0 } }, period_ms: 10 }]);
    const lastSeq = server.received.requests.at(-1)?.seq ?? 0;
    server.clearReceived();
    expect(server.received).toEqual({
      requests: [],
      identifies: [],
      events: [],
      telemetry: [],
      dropped: { requests: 0, identifies: 0, events: 0, telemetry: 0 },
      unauthenticated: 0,
    });
    await call(server, "/health");
    expect(server.received.requests[0]?.seq).toBe(lastSeq + 1);
  });

  it("forgets sessions on clearSessions", async () => {
    server.setFlag({ key: "pro", enabled: true, rules: [{ id: "p", enabled: true, conditions: [{ attribute: "plan", operator: "eq", value: "pro" }], rolloutPercentage: 100 }] });
    await call(server, "/api/v1/sdk/identify", { method: "POST", body: '{"user":{"id":"u1","attributes":{"plan":"pro"}}}' });
    expect(json<{ flags: Record<string, boolean> }>(await call(server, "/api/v1/sdk/flags?user_id=u1")).flags["pro"]).toBe(true);
    server.clearSessions();
    expect(json<{ flags: Record<string, boolean> }>(await call(server, "/api/v1/sdk/flags?user_id=u1")).flags["pro"]).toBe(false);
  });

  it("waitFor resolves on a later change, times out, and is rejected by close", async () => {
    const identified = server.waitFor((s) => s.received.identifies.length === 1, 2000);
    await call(server, "/api/v1/sdk/identify", { method: "POST", body: "{}" });
    await identified;
    await expect(server.waitFor(() => false, 20)).rejects.toThrow("still false after 20 ms");
    const pending = server.waitFor(() => false, 10_000);
    await server.close();
    await expect(pending).rejects.toThrow("closed");
  });

  it("waitFor sees flag changes and stream counts", async () => {
    const changed = server.waitFor((s) => s.getFlag("a")?.enabled === false);
    server.setFlag({ key: "a", enabled: false });
    await changed;
    const sse = await openSse(`${server.url}/api/v1/sdk/stream?token=${API_KEY}`);
    await server.waitFor((s) => s.streamCount === 1);
    sse.close();
    await server.waitFor((s) => s.streamCount === 0);
  });
});

describe("watching the flags file", () => {
  let directory: string;
  let path: string;
  let server: RollgateServer | undefined;
  const errors: string[] = [];
  const infos: string[] = [];
  let onLog: () => void = () => {};
  const logger: Logger = {
    ...silentLogger,
    info: (message) => {
      infos.push(message);
      onLog();
    },
    error: (message) => {
      errors.push(message);
      onLog();
    },
  };
  const logged = (predicate: () => boolean) =>
    new Promise<void>((resolve) => {
      onLog = () => {
        if (predicate()) resolve();
      };
    });

  const FLAGS: FlagDefinition[] = [
    { key: "a", enabled: true, rolloutPercentage: 100 },
    { key: "b", enabled: true, rolloutPercentage: 100 },
  ];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "rollgate-watch-server-"));
    path = join(directory, "flags.json");
    await writeFile(path, JSON.stringify({ flags: FLAGS }));
    errors.length = 0;
    infos.length = 0;
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await rm(directory, { recursive: true, force: true });
  });

  it("reloads a changed file and pushes flag-changed for exactly the changed keys", async () => {
    server = await startServer({ flagsFile: path, watch: true, logger, heartbeatInterval: 0 });
    const sse = await openSse(`${server.url}/api/v1/sdk/stream?token=${API_KEY}`);
    try {
      await sse.waitFor(() => sse.events().length === 1);
      await writeFile(path, JSON.stringify({ flags: [FLAGS[0], { key: "b", enabled: false }, { key: "c", enabled: true }] }));
      await sse.waitFor(() => sse.events().length === 3);
      expect(sse.events().slice(1)).toEqual([
        { event: "flag-changed", data: '{"enabled":false,"key":"b"}' },
        { event: "flag-changed", data: '{"enabled":true,"key":"c"}' },
      ]);
      expect(server.getFlag("c")).toEqual({ key: "c", enabled: true });
    } finally {
      sse.close();
    }
  });

  it("keeps the old flags and logs an error on an invalid edit", async () => {
    server = await startServer({ flagsFile: path, watch: true, logger });
    const failed = logged(() => errors.length > 0);
    await writeFile(path, JSON.stringify({ flags: [{ key: "a", enabled: true, rolloutPercentage: 150 }] }));
    await failed;
    expect(errors[0]).toContain("flags[0].rolloutPercentage: expected a number from 0 to 100");
    expect(server.getFlags().flags).toEqual(FLAGS);
    const reloaded = logged(() => infos.some((message) => message.startsWith(`Reloaded ${path}`)));
    await writeFile(path, JSON.stringify({ flags: [FLAGS[0]] }));
    await reloaded;
    expect(server.getFlags().flags).toEqual([FLAGS[0]]);
  });

  it("keeps watching when a FIFO replaces the file, and reloads the next regular file", async () => {
    server = await startServer({ flagsFile: path, watch: true, logger });
    const refused = logged(() => errors.length > 0);
    await rm(path);
    execFileSync("mkfifo", [path]);
    try {
      await refused;
      expect(errors[0]).toBe(`Kept the previous flags: Cannot read the flags file ${path}: it is not a regular file (a FIFO). Check the path and its permissions.`);
      const reloaded = logged(() => infos.some((message) => message.startsWith(`Reloaded ${path}`)));
      const replacement = join(directory, "next.json");
      await writeFile(replacement, JSON.stringify({ flags: [FLAGS[0]] }));
      await rename(replacement, path);
      await reloaded;
      expect(server.getFlags().flags).toEqual([FLAGS[0]]);
    } finally {
      // Before the fix a reload blocked on the FIFO: opening its other end releases that read.
      try {
        closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // Nobody was reading it.
      }
    }
  });

  it("does not watch without the watch option", async () => {
    server = await startServer({ flagsFile: path, logger });
    expect(server.getFlags().flags).toEqual(FLAGS);
  });
});

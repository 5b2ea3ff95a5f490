import { mkdtemp, readdir, readFile, rm, symlink, writeFile, lstat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RollgateConfigError } from "../../src/errors";
import { silentLogger, type Logger } from "../../src/logger/logger";
import { startServer, type RollgateServer } from "../../src/server";
import { FlagsFileWriter } from "../../src/server/flags-file-writer";
import { admin } from "./support/http-client";

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "rollgate-writer-"));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const ORIGINAL = {
  $schema: "./flags.schema.json",
  flags: [
    {
      key: "a",
      description: "Flag a",
      enabled: true,
      rolloutPercentage: 100,
      rules: [{ id: "r", description: "Rule r", enabled: true, conditions: [{ attribute: "segment", operator: "in", value: "s" }], rolloutPercentage: 100 }],
    },
    { key: "b", enabled: false },
  ],
  segments: { s: { description: "Segment s", conditions: [] } },
};

async function flagsFile(content: unknown = ORIGINAL): Promise<string> {
  const path = join(directory, "flags.json");
  await writeFile(path, JSON.stringify(content, null, 2), { mode: 0o640 });
  return path;
}

async function serve(path: string, write = true): Promise<RollgateServer> {
  return startServer({ logger: silentLogger, flagsFile: path, writeFlagsFile: write });
}

describe("writing admin changes back to the flags file (writeFlagsFile)", () => {
  it("writes the change, keeping $schema, descriptions and the file's permissions, and leaves no temporary file", async () => {
    const path = await flagsFile();
    const server = await serve(path);
    expect((await admin(server, "PUT", "/admin/flags/b", { enabled: true, rolloutPercentage: 30 })).status).toBe(200);
    await server.close();
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ ...ORIGINAL, flags: [ORIGINAL.flags[0], { key: "b", enabled: true, rolloutPercentage: 30 }] });
    expect(await readdir(directory)).toEqual(["flags.json"]);
    expect((await lstat(path)).mode & 0o777).toBe(0o640);
  });

  it("writes nothing without writeFlagsFile, nor for a change the programmatic API makes", async () => {
    const path = await flagsFile();
    const before = await readFile(path, "utf8");
    const memoryOnly = await serve(path, false);
    await admin(memoryOnly, "PUT", "/admin/flags/b", { enabled: true });
    await memoryOnly.close();
    const writing = await serve(path);
    writing.setFlag({ key: "b", enabled: true });
    await writing.close();
    expect(await readFile(path, "utf8")).toBe(before);
  });

  it("replaces a symlink's target and keeps the link", async () => {
    const target = await flagsFile();
    const link = join(directory, "link.json");
    await symlink(target, link);
    const server = await serve(link);
    await admin(server, "DELETE", "/admin/flags/b");
    await server.close();
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(target, "utf8")).flags.map((flag: { key: string }) => flag.key)).toEqual(["a"]);
  });

  it("writes the last of quick changes, one write at a time", async () => {
    const path = await flagsFile();
    const server = await serve(path);
    for (let percent = 1; percent <= 20; percent++) await admin(server, "PUT", "/admin/flags/b", { enabled: true, rolloutPercentage: percent });
    await server.close();
    expect(JSON.parse(await readFile(path, "utf8")).flags[1]).toEqual({ key: "b", enabled: true, rolloutPercentage: 20 });
  });

  it("with watch, does not reload its own write", async () => {
    const infos: string[] = [];
    const path = await flagsFile();
    const logger: Logger = { ...silentLogger, info: (message) => infos.push(message) };
    const server = await startServer({ logger, flagsFile: path, writeFlagsFile: true, watch: true });
    try {
      await admin(server, "PUT", "/admin/flags/b", { enabled: true, rolloutPercentage: 5 });
      // The answer comes before the write: wait for the file, then for the watch to have seen it.
      while (!(await readFile(path, "utf8")).includes('"rolloutPercentage": 5')) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(infos.filter((message) => message.startsWith("Reloaded"))).toEqual([]);
      // An edit by someone else is still reloaded.
      await writeFile(path, JSON.stringify({ flags: [{ key: "c", enabled: true }] }));
      await server.waitFor((s) => s.getFlag("c") !== undefined);
      expect(server.getFlag("b")).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it("reports a failed write in the activity and logs it, serving the change from memory", async () => {
    const errors: string[] = [];
    const logger: Logger = { ...silentLogger, error: (message) => errors.push(message) };
    const path = await flagsFile();
    const server = await startServer({ logger, flagsFile: path, writeFlagsFile: true });
    try {
      await rm(directory, { recursive: true, force: true });
      await admin(server, "PUT", "/admin/flags/b", { enabled: true });
      await server.waitFor(() => errors.length > 0);
      expect(server.getFlag("b")?.enabled).toBe(true);
      const storage = JSON.parse((await admin(server, "GET", "/admin/activity?wait=0")).text).storage;
      expect(storage).toMatchObject({ file: path, writes: true, lastError: expect.stringContaining(`Could not write ${path}`) });
      expect(errors[0]).toContain("served from memory only");
    } finally {
      await server.close();
    }
  });

  it("needs a flags file", async () => {
    await expect(startServer({ logger: silentLogger, writeFlagsFile: true })).rejects.toThrow(RollgateConfigError);
  });
});

describe("FlagsFileWriter", () => {
  it("tells the files it wrote from others", async () => {
    const path = await flagsFile();
    const writer = new FlagsFileWriter(path, 1_000_000, silentLogger, () => {});
    const file = { flags: [{ key: "x", enabled: true }], segments: {} };
    writer.save(file);
    expect(writer.busy).toBe(true);
    await writer.idle();
    expect(writer.busy).toBe(false);
    expect(writer.wrote({ flags: [{ key: "x", enabled: true }] })).toBe(true);
    expect(writer.wrote({ flags: [{ key: "x", enabled: false }] })).toBe(false);
    expect(writer.storage).toEqual({ file: path, writes: true });
  });
});

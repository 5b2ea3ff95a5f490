import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RollgateClient } from "rollgate";
import { Agent, request } from "undici";
import { benchKey } from "../bench-flags";
import { cpuMs, median, tick } from "../measure";
import { startServerProcess } from "../support/server-process";
import type { BenchRow, BenchSubject } from "../subject";

const FLAGS = 10_000;

/**
 * One poll of 10,000 flags (server in another process), in CPU time of this process:
 * `refresh()` after one flag changed, and with the body unchanged (the v2 endpoint sends no
 * ETag), against a bare undici GET + `JSON.parse` + `Map` build (changed) or a bare GET that
 * only reads the body (unchanged). Then the same change with the default file cache on, the
 * save included (the save runs after refresh() resolves, so both sides get a 30 ms settle).
 */
const subject: BenchSubject = {
  name: "poll",
  async run({ quick }) {
    const server = await startServerProcess(FLAGS);
    const agent = new Agent({ keepAliveTimeout: 60_000, connections: 4 });
    const url = `${server.url}/api/v1/sdk/v2/flags`;
    const headers = { authorization: `Bearer ${server.apiKey}`, accept: "application/json" };
    const bareParse = async () => {
      const response = await request(url, { dispatcher: agent, headers });
      const body = JSON.parse(await response.body.text()) as { flags: Record<string, unknown> };
      const map = new Map<string, unknown>();
      for (const key in body.flags) map.set(key, body.flags[key]);
      if (map.size !== FLAGS) throw new Error("short body");
    };
    const bareRead = async () => {
      const response = await request(url, { dispatcher: agent, headers });
      if ((await response.body.text()).length < FLAGS) throw new Error("short body");
    };
    const dir = mkdtempSync(join(tmpdir(), "rollgate-bench-"));
    const plain = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: 0 });
    const cached = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: { dir }, refreshInterval: 0 });
    await plain.init();
    await cached.init();
    await bareParse();
    await bareRead();
    let value = 0;
    const changed = async (work: () => Promise<unknown>, settleMs = 0) => {
      await server.change(benchKey(3), ++value);
      return cpuMs(async () => {
        await work();
        if (settleMs > 0) await tick(settleMs);
      });
    };
    const samples = quick ? 8 : 25;
    const s = { bareChange: [] as number[], change: [] as number[], bareSame: [] as number[], same: [] as number[], bareCache: [] as number[], cache: [] as number[], plainSettled: [] as number[] };
    for (let i = 0; i < samples + 3; i++) {
      const keep = i >= 3; // the first rounds warm up the JIT
      const add = (list: number[], ms: number) => keep && list.push(ms);
      add(s.bareChange, await changed(bareParse));
      add(s.change, await changed(() => plain.refresh()));
      add(s.bareSame, await cpuMs(bareRead));
      add(s.same, await cpuMs(() => plain.refresh()));
      add(s.bareCache, await changed(bareParse, 30));
      add(s.cache, await changed(() => cached.refresh(), 30));
      add(s.plainSettled, await changed(() => plain.refresh(), 30));
    }
    await plain.close();
    await cached.close();
    await agent.destroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    const rows: BenchRow[] = [
      { id: "poll-change", label: "poll, 10,000 flags, one changed (CPU)", unit: "ms", candidate: median(s.change), limit: { label: "GET + JSON.parse + Map", value: median(s.bareChange) }, target: 1.3 },
      { id: "poll-unchanged", label: "poll, 10,000 flags, body unchanged (CPU)", unit: "ms", candidate: median(s.same), limit: { label: "GET + read body", value: median(s.bareSame) }, target: 1.3 },
      { id: "poll-change-file-cache", label: "poll, one changed, file cache on, save included", unit: "ms", candidate: median(s.cache), limit: { label: "GET + JSON.parse + Map", value: median(s.bareCache) } },
      { id: "file-cache-per-change", label: "file cache cost per change (CPU)", unit: "ms", candidate: Math.max(0, median(s.cache) - median(s.plainSettled)) },
    ];
    return rows;
  },
};

export default subject;

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RollgateClient } from "rollgate";
import { Agent } from "undici";
import { bareRequests } from "../support/bare-requests";
import { median } from "../measure";
import { startServerProcess } from "../support/server-process";
import type { BenchRow, BenchSubject } from "../subject";

const FLAGS = 100;

/**
 * `identify(user)` (wall time until the new user's flags are applied, users alternating) against
 * a bare undici POST /identify + GET of that user's flags + `JSON.parse` + `Map` build, with the
 * server in another process; then with the file cache on.
 */
const subject: BenchSubject = {
  name: "identify",
  async run({ quick }) {
    const server = await startServerProcess(FLAGS);
    const agent = new Agent({ keepAliveTimeout: 60_000, connections: 4 });
    const requests = bareRequests({ url: server.url, apiKey: server.apiKey, dispatcher: agent, flags: FLAGS });
    const bare = async (id: string) => {
      const user = { id, attributes: { plan: "pro" } };
      await requests.postIdentify(user);
      await requests.getFlags(user);
    };
    const dir = mkdtempSync(join(tmpdir(), "rollgate-bench-"));
    const plain = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: 0 });
    const cached = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: { dir }, refreshInterval: 0 });
    await plain.init();
    await cached.init();
    const wall = async (work: () => Promise<unknown>) => {
      const start = performance.now();
      await work();
      return performance.now() - start;
    };
    const samples = quick ? 50 : 200;
    const bareMs: number[] = [];
    const plainMs: number[] = [];
    const cachedMs: number[] = [];
    for (let i = 0; i < samples + 20; i++) {
      const id = `user-${i % 2}`;
      const b = await wall(() => bare(id));
      const p = await wall(() => plain.identify({ id, attributes: { plan: "pro" } }));
      const c = await wall(() => cached.identify({ id, attributes: { plan: "pro" } }));
      if (i >= 20) {
        bareMs.push(b);
        plainMs.push(p);
        cachedMs.push(c);
      }
    }
    await plain.close();
    await cached.close();
    await agent.destroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    const limit = { label: "POST + GET + parse + Map", value: median(bareMs) };
    const rows: BenchRow[] = [
      { id: "identify", label: `identify(), ${FLAGS} flags (wall)`, unit: "ms", candidate: median(plainMs), limit, target: 1.3 },
      { id: "identify-file-cache", label: "identify(), file cache on (wall)", unit: "ms", candidate: median(cachedMs), limit },
    ];
    return rows;
  },
};

export default subject;

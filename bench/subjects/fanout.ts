import { RollgateClient } from "rollgate";
import { Subject } from "rxjs";
import { Agent, request } from "undici";
import { benchKey } from "../bench-flags";
import { cpuMs, median } from "../measure";
import { startServerProcess } from "../support/server-process";
import type { BenchRow, BenchSubject } from "../subject";

const WATCHERS = 10_000;

/**
 * `flag$` fan-out through the public API (server in another process, CPU time of `refresh()`
 * after one change). (1) 10,000 flags, 10,000 subscribers on *other* flags, against the same
 * client with none. (2) 100 flags, 10,000 subscribers on the changed flag, against the bare
 * limit: an undici GET + `JSON.parse` + `Map` build, then `next()` on a bare rxjs `Subject`
 * with 10,000 subscribers.
 */
const subject: BenchSubject = {
  name: "fanout",
  async run({ quick }) {
    const samples = quick ? 8 : 25;
    const rows: BenchRow[] = [];
    const target = benchKey(3);
    let value = 0;

    {
      const server = await startServerProcess(10_000);
      const options = { apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: 0 } as const;
      const alone = new RollgateClient(options);
      const crowded = new RollgateClient(options);
      await alone.init();
      await crowded.init();
      alone.flag$(target).subscribe();
      crowded.flag$(target).subscribe();
      for (let i = 0; i < WATCHERS; i++) crowded.flag$(benchKey(i === 3 ? 4 : i)).subscribe();
      const aloneMs: number[] = [];
      const crowdedMs: number[] = [];
      for (let i = 0; i < samples + 3; i++) {
        await server.change(target, ++value);
        const a = await cpuMs(() => alone.refresh());
        await server.change(target, ++value);
        const c = await cpuMs(() => crowded.refresh());
        if (i >= 3) {
          aloneMs.push(a);
          crowdedMs.push(c);
        }
      }
      if (crowded.getNumber(target, -1) !== value) throw new Error("the change did not arrive");
      await alone.close();
      await crowded.close();
      await server.close();
      rows.push({ id: "fanout-others", label: "poll with one change, 10,000 flag$ on other flags", unit: "ms", candidate: median(crowdedMs), limit: { label: "same, no other subscribers", value: median(aloneMs) }, target: 2 });
    }

    {
      const server = await startServerProcess(100);
      const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: 0 });
      await client.init();
      let received = 0;
      for (let i = 0; i < WATCHERS; i++) client.flag$(target, 0).subscribe(() => received++);
      const agent = new Agent({ keepAliveTimeout: 60_000 });
      const bareSubject = new Subject<unknown>();
      let bareReceived = 0;
      for (let i = 0; i < WATCHERS; i++) bareSubject.subscribe(() => bareReceived++);
      const bare = async () => {
        const response = await request(`${server.url}/api/v1/sdk/v2/flags`, { dispatcher: agent, headers: { authorization: `Bearer ${server.apiKey}` } });
        const body = JSON.parse(await response.body.text()) as { flags: Record<string, { value: unknown }> };
        const map = new Map<string, { value: unknown }>();
        for (const key in body.flags) map.set(key, body.flags[key]!);
        bareSubject.next(map.get(target)!.value);
      };
      const clientMs: number[] = [];
      const bareMs: number[] = [];
      for (let i = 0; i < samples + 3; i++) {
        await server.change(target, ++value);
        const b = await cpuMs(bare);
        await server.change(target, ++value);
        const c = await cpuMs(() => client.refresh());
        if (i >= 3) {
          bareMs.push(b);
          clientMs.push(c);
        }
      }
      if (received < WATCHERS * samples || bareReceived < WATCHERS * samples) throw new Error("subscribers missed changes");
      await client.close();
      await agent.destroy();
      await server.close();
      rows.push({ id: "fanout-same", label: "poll with one change, 10,000 flag$ on it (100 flags)", unit: "ms", candidate: median(clientMs), limit: { label: "GET + parse + Subject.next", value: median(bareMs) } });
    }
    return rows;
  },
};

export default subject;

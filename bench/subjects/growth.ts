import { RollgateClient } from "rollgate";
import { benchKey } from "../bench-flags";
import { settledHeap } from "../measure";
import { startServerProcess } from "../support/server-process";
import type { BenchRow, BenchSubject } from "../subject";

const FLAGS = 100;

/**
 * Heap after 10,000 polls (100 flags, one change every 100 polls, a `flag$` subscriber and an
 * `on()` listener attached) against the heap after the first 500: growth with uptime.
 */
const subject: BenchSubject = {
  name: "growth",
  async run({ quick }) {
    const server = await startServerProcess(FLAGS);
    const client = new RollgateClient({ apiKey: server.apiKey, baseUrl: server.url, cache: false, refreshInterval: 0 });
    await client.init();
    let seen = 0;
    client.flag$(benchKey(3)).subscribe(() => seen++);
    client.on("flag-changed", () => seen++);
    const polls = quick ? 2_000 : 10_000;
    const poll = async (i: number) => {
      if (i % 100 === 0) await server.change(benchKey(3), i);
      await client.refresh();
    };
    for (let i = 0; i < 500; i++) await poll(i);
    const warm = settledHeap();
    for (let i = 500; i < polls; i++) await poll(i);
    const after = settledHeap();
    await client.close();
    await server.close();
    if (seen < 10) throw new Error("no changes seen");
    return [
      { id: "heap-growth", label: `heap after ${polls.toLocaleString("en")} polls`, unit: "KiB", candidate: after / 1024, limit: { label: "after 500 polls", value: warm / 1024 }, target: 1.05 },
    ] satisfies BenchRow[];
  },
};

export default subject;

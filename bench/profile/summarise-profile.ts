/**
 * Summarises a V8 .cpuprofile: top frames by self time and by total (inclusive) time, in µs per
 * call. `node --import tsx bench/profile/summarise-profile.ts <file.cpuprofile> <calls> [top] [filter]`
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, callsArg, topArg, filter] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file!, "utf8")) as Profile;
const calls = Number(callsArg ?? "1");
const top = Number(topArg ?? "40");
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)));

const short = (url: string) => url.replace(/^.*\/(node_modules\/)/, "$1").replace(/^.*\/perreq\//, "").replace(/^file:\/\//, "");
const name = (node: ProfileNode) => `${node.callFrame.functionName || "(anonymous)"} ${short(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;

const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
for (const [id, us] of selfUs) {
  all += us;
  const node = byId.get(id)!;
  self.set(name(node), (self.get(name(node)) ?? 0) + us);
  // Inclusive: count each distinct frame name once per stack.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const n = name(byId.get(cur)!);
    if (seen.has(n)) continue;
    seen.add(n);
    total.set(n, (total.get(n) ?? 0) + us);
  }
}
const print = (title: string, map: Map<string, number>) => {
  process.stdout.write(`\n${title} (µs per call; total sampled ${(all / calls).toFixed(1)} µs per call)\n`);
  [...map.entries()]
    .filter(([n]) => filter === undefined || n.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([n, us]) => process.stdout.write(`${(us / calls).toFixed(1).padStart(8)}  ${n}\n`));
};
print("self", self);
print("total", total);

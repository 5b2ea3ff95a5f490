import { readFileSync } from "node:fs";
type N = { id: number; callFrame: { functionName: string; url: string }; children?: number[] };
const [file, rootName, excludeName, calls] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file!, "utf8")) as { nodes: N[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: N) => `${n.callFrame.functionName} ${n.callFrame.url.replace(/^.*\/(src|node_modules)\//, "$1/")}`;
const self = new Map<string, number>();
let total = 0;
p.samples.forEach((id, i) => {
  const dt = p.timeDeltas[i + 1] ?? 0;
  let inRoot = false, excluded = false;
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (l.startsWith(excludeName!)) excluded = true;
    if (l.startsWith(rootName!)) { inRoot = true; break; }
  }
  if (!inRoot || excluded) return;
  total += dt;
  const l = label(byId.get(id)!);
  self.set(l, (self.get(l) ?? 0) + dt);
});
console.log(`under "${rootName}" excluding "${excludeName}": ${(total / Number(calls)).toFixed(1)} µs/call`);
for (const [l, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(v / Number(calls)).toFixed(2).padStart(7)}  ${l}`);

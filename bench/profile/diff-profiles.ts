import { readFileSync } from "node:fs";
type N = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
function selfOf(file: string, calls: number): Map<string, number> {
  const p = JSON.parse(readFileSync(file, "utf8")) as { nodes: N[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const name = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.replace(/^.*\/(node_modules\/|src\/)/, "$1")}:${n.callFrame.lineNumber + 1}`;
    out.set(name, (out.get(name) ?? 0) + (p.timeDeltas[i + 1] ?? 0) / calls);
  });
  return out;
}
const [a, b, calls] = process.argv.slice(2);
const A = selfOf(a!, Number(calls)), B = selfOf(b!, Number(calls));
const names = new Set([...A.keys(), ...B.keys()]);
const rows = [...names].map((n) => [n, (B.get(n) ?? 0) - (A.get(n) ?? 0), A.get(n) ?? 0, B.get(n) ?? 0] as const).sort((x, y) => y[1] - x[1]);
let sum = 0; for (const r of rows) sum += r[1];
console.log(`total diff ${sum.toFixed(1)} µs/call`);
for (const r of rows.slice(0, 60)) console.log(`${r[1].toFixed(1).padStart(7)} ${r[2].toFixed(1).padStart(7)} ${r[3].toFixed(1).padStart(7)}  ${r[0]}`);

// By area: rxjs, undici, node internals, src files, GC, idle.
const area = (n: string) =>
  n.includes("(idle)") ? "idle" : n.includes("garbage") ? "gc" : n.includes("node_modules/rxjs") ? "rxjs" : n.includes("node_modules/undici") || n.includes("wasm") ? "undici" : n.includes("node:internal/timers") || n.includes("node:timers") ? "node timers" : n.includes("abort_controller") || n.includes("event_target") ? "node abort/event target" : n.includes("node:") ? "node other" : n.includes("src/") ? "src" : "other";
const byArea = new Map<string, [number, number]>();
for (const n of names) {
  const k = area(n);
  const cur = byArea.get(k) ?? [0, 0];
  byArea.set(k, [cur[0] + (A.get(n) ?? 0), cur[1] + (B.get(n) ?? 0)]);
}
console.log("\nby area: a, b, b - a (µs/call)");
for (const [k, [x, y]] of [...byArea].sort((p, q) => q[1][1] - q[1][0] - (p[1][1] - p[1][0]))) console.log(`${k.padEnd(26)} ${x.toFixed(1).padStart(7)} ${y.toFixed(1).padStart(7)} ${(y - x).toFixed(1).padStart(7)}`);

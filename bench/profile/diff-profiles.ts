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

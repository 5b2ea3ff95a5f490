import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** What one file's mutation run came to, as written to docs/mutation.md. */
export interface FileScore {
  readonly file: string;
  /** Killed, timed out (an infinite loop is caught) or failing at runtime. */
  readonly killed: number;
  /** Survived, or covered by no test at all. */
  readonly survived: number;
  /** Listed in mutation/equivalents.ts (or ignored through a `// Stryker disable` comment), with the reason. */
  readonly equivalent: number;
  readonly date: string;
  /** One line per survivor: `line:column Mutator: replacement`. */
  readonly survivors: readonly string[];
  /** One line per equivalent mutant: `line:column Mutator: reason`. */
  readonly equivalents: readonly string[];
}

/** killed / (killed + survived), equivalents (and mutants the type checker rejects) left out. */
export function score(row: Pick<FileScore, "killed" | "survived">): number {
  const valid = row.killed + row.survived;
  return valid === 0 ? 100 : (100 * row.killed) / valid;
}

/** The score as printed: none for a file whose every mutant the type checker rejected (nothing was tested). */
function scoreCell(row: Pick<FileScore, "killed" | "survived">): string {
  return row.killed + row.survived === 0 ? "none (no mutant to test)" : `${score(row).toFixed(1)} %`;
}

const HEADER = `# Mutation scores

Written by \`npm run mutation\` (see README, Development): each core file is mutated by
StrykerJS and tested against the test files that drive it (mutation/targets.ts). *killed*
counts timeouts too; *equivalent* mutants (the program behaves the same, so no test can kill
them) are listed with their reason in mutation/equivalents.ts and left out of the score; the
score is killed / (killed + survived). Mutants the TypeScript checker rejects are not counted.
A run of some files replaces only their rows.
`;

/** Merges `scores` into the summary at `path` (rows of other files are kept) and rewrites it. */
export function writeSummary(path: string, scores: readonly FileScore[]): void {
  const rows = new Map(readSummary(path).map((row) => [row.file, row]));
  for (const row of scores) rows.set(row.file, row);
  const sorted = [...rows.values()].sort((a, b) => a.file.localeCompare(b.file));
  const table = [
    "| file | killed | survived | equivalent | score | date |",
    "|---|---:|---:|---:|---:|---|",
    ...sorted.map((r) => `| ${r.file} | ${r.killed} | ${r.survived} | ${r.equivalent} | ${scoreCell(r)} | ${r.date} |`),
  ];
  const details = sorted
    .filter((r) => r.survivors.length + r.equivalents.length > 0)
    .map((r) =>
      [
        `### ${r.file}`,
        "",
        ...r.survivors.map((line) => `- survived: ${line}`),
        ...r.equivalents.map((line) => `- equivalent: ${line}`),
        "",
      ].join("\n"),
    );
  const text = [HEADER, table.join("\n"), "", "## Survivors and equivalent mutants", "", ...details].join("\n");
  writeFileSync(path, `${text.trimEnd()}\n`);
}

/** Reads back what {@link writeSummary} wrote; an absent file reads as no rows. */
function readSummary(path: string): FileScore[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, "utf8");
  const details = new Map<string, string[]>();
  for (const section of text.split("\n### ").slice(1)) {
    const [file = "", ...lines] = section.split("\n");
    details.set(file.trim(), lines);
  }
  const rows: FileScore[] = [];
  for (const line of text.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    if (cells.length !== 8 || !cells[1]?.startsWith("src/")) continue;
    const [, file, killed, survived, equivalent, , date] = cells as [string, string, string, string, string, string, string];
    const lines = details.get(file) ?? [];
    const strip = (prefix: string) => lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
    rows.push({
      file,
      killed: Number(killed),
      survived: Number(survived),
      equivalent: Number(equivalent),
      date,
      survivors: strip("- survived: "),
      equivalents: strip("- equivalent: "),
    });
  }
  return rows;
}

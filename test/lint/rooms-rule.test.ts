import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * The layering rules of eslint/rooms.js (`rooms/import-downward`, `rooms/no-cycle`), run by the
 * real ESLint CLI over a small project of its own: a room table in docs/architecture.md and a few
 * src/ files, each case a file that must or must not be reported.
 */

const ROOT = join(__dirname, "../..");
const ESLINT = join(ROOT, "node_modules/eslint/bin/eslint.js");

const TABLE = `# Architecture

| rank | room | what | imports |
|---|---|---|---|
| 1 | \`src/model/\` | shared words | — |
| 2 | \`src/engine/\` | engines | 1 |
| 3 | \`src/client/\` | the facade | 1–2 |
| 4 | \`src/index.ts\` | the entry | 1–3 |
`;

const FILES: Readonly<Record<string, string>> = {
  "src/model/user.ts": "export interface User { readonly id: string }\n",
  "src/engine/fetcher.ts": 'import type { User } from "../model/user";\nexport const fetchFor = (user: User): string => user.id;\n',
  "src/client/client.ts": 'import { fetchFor } from "../engine/fetcher";\nexport const client = { fetchFor };\n',
  "src/index.ts": 'export { client } from "./client/client";\n',
  // A climb: the engine room reaches up into the client room.
  "src/engine/climber.ts": 'import { client } from "../client/client";\nexport const up = client;\n',
  // A climb by `typeof import()`, in a type only.
  "src/model/typed-climb.ts": 'export type Fetch = typeof import("../engine/fetcher");\n',
  // A cycle made of type-only imports, inside one room (import-x/no-cycle does not see these).
  "src/engine/left.ts": 'import type { Right } from "./right";\nexport interface Left { readonly right?: Right }\n',
  "src/engine/right.ts": 'import type { Left } from "./left";\nexport interface Right { readonly left?: Left }\n',
  // A file in a folder the table does not name.
  "src/stray/lost.ts": "export const lost = 1;\n",
};

interface Message {
  readonly ruleId: string | null;
  readonly message: string;
}

let project: string;
let results: Map<string, readonly Message[]>;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "rollgate-rooms-"));
  await mkdir(join(project, "docs"));
  await writeFile(join(project, "docs/architecture.md"), TABLE);
  for (const [path, text] of Object.entries(FILES)) {
    await mkdir(dirname(join(project, path)), { recursive: true });
    await writeFile(join(project, path), text);
  }
  const config = `import parser from ${JSON.stringify(pathToFileURL(require.resolve("@typescript-eslint/parser")).href)};
import { roomsPlugin } from ${JSON.stringify(pathToFileURL(join(ROOT, "eslint/rooms.js")).href)};
const rooms = roomsPlugin({ root: import.meta.dirname, table: "docs/architecture.md" });
export default [{ files: ["src/**/*.ts"], languageOptions: { parser }, plugins: { rooms }, rules: { "rooms/import-downward": "error", "rooms/no-cycle": "error" } }];
`;
  await writeFile(join(project, "eslint.config.mjs"), config);
  const stdout = await new Promise<string>((resolve, reject) => {
    // ESLint exits 1 when it reports errors; the JSON report is what the test reads.
    execFile(process.execPath, [ESLINT, "--format", "json", "src"], { cwd: project, encoding: "utf8" }, (error, out, stderr) =>
      out.startsWith("[") ? resolve(out) : reject(new Error(`eslint failed: ${error?.message ?? ""}\n${stderr}`)),
    );
  });
  const report = JSON.parse(stdout) as { filePath: string; messages: Message[] }[];
  results = new Map(report.map((file) => [file.filePath.slice(project.length + 1), file.messages]));
}, 60_000);

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

const rulesOf = (path: string) => (results.get(path) ?? []).map((message) => message.ruleId);

describe("rooms/import-downward", () => {
  it.each(["src/model/user.ts", "src/engine/fetcher.ts", "src/client/client.ts", "src/index.ts"])("accepts %s, which imports only rooms below it", (path) => {
    expect(results.get(path)).toEqual([]);
  });

  it("reports an import from a room above, naming both rooms and what to do", () => {
    const [message, ...rest] = results.get("src/engine/climber.ts") ?? [];
    expect(rest).toEqual([]);
    expect(message?.ruleId).toBe("rooms/import-downward");
    expect(message?.message).toContain("src/engine/ (room 2) may not import src/client/client.ts: src/client/ is room 3");
    expect(message?.message).toContain("move what is needed down");
  });

  it("reports a climb made only in a type, by typeof import()", () => {
    expect(rulesOf("src/model/typed-climb.ts")).toEqual(["rooms/import-downward"]);
  });

  it("reports a file in no room of the table", () => {
    const messages = results.get("src/stray/lost.ts") ?? [];
    expect(messages.map((message) => message.ruleId)).toEqual(["rooms/import-downward"]);
    expect(messages[0]?.message).toContain("src/stray/lost.ts is in no room");
  });
});

describe("rooms/no-cycle", () => {
  it("reports both imports of a cycle made of type-only imports, with the chain", () => {
    const left = results.get("src/engine/left.ts") ?? [];
    expect(left.map((message) => message.ruleId)).toEqual(["rooms/no-cycle"]);
    expect(left[0]?.message).toContain("Import cycle: src/engine/left.ts -> src/engine/right.ts -> src/engine/left.ts");
    expect(rulesOf("src/engine/right.ts")).toEqual(["rooms/no-cycle"]);
  });
});

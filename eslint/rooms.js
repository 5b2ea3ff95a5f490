// The house's two rules (docs/architecture.md): a room of src/ imports only the rooms below it,
// and no import cycles. Both read the room table of docs/architecture.md, the one place the
// order is written. Type-only imports count: a type that must climb lives in the wrong room
// (import-x/no-cycle skips them, which is how two cycles went unseen).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The rooms, bottom (index 0) to top, from the table rows `| 1 | \`src/errors/\` | … |`.
 * @returns {{ rank: number, path: string }[]}
 */
export function readRooms(tableFile) {
  const rooms = [];
  for (const line of readFileSync(tableFile, "utf8").split("\n")) {
    const row = /^\|\s*(\d+)\s*\|\s*`([^`]+)`/.exec(line);
    if (row !== null) rooms.push({ rank: Number(row[1]), path: row[2] });
  }
  if (rooms.length === 0) throw new Error(`rooms: no room table (| 1 | \`src/…/\` | …) in ${tableFile}`);
  return rooms;
}

/** The room a file belongs to: its folder's row, or the row naming the file itself. */
function roomOf(rooms, root, file) {
  const path = relative(root, file).split("\\").join("/");
  return rooms.find((room) => (room.path.endsWith("/") ? path.startsWith(room.path) : path === room.path));
}

/** The .ts file a relative specifier names (`./x`, `./x.js`, `../dir` for its index.ts), if any. */
const resolved = new Map();
function resolveSpecifier(fromFile, specifier) {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(fromFile), specifier).replace(/\.js$/, "");
  const known = resolved.get(base);
  if (known !== undefined) return known;
  for (const candidate of [`${base}.ts`, `${base}.d.ts`, `${base}/index.ts`, base]) {
    try {
      if (statSync(candidate).isFile()) {
        resolved.set(base, candidate);
        return candidate;
      }
    } catch {
      // Not this one.
    }
  }
  return undefined;
}

/**
 * The import graph of src/: every file's imports (static, type-only, re-exports, `import()`).
 * Read once; a file's entry is read again when that file is linted and has changed on disk, so
 * an editor's lint of an edited file sees its new imports.
 */
const graph = new Map();
/**
 * `import … from "x"`, `export … from "x"` and `import "x"` at the start of a line (so not in a
 * JSDoc example), and `import("x")` anywhere (`typeof import("./x")` included). A regular
 * expression, not a parse: TypeScript's preProcessFile took seconds for src/ on a busy machine.
 */
const IMPORT = /^[ \t]*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|^[ \t]*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;
/** File -> its strongly connected component (files that import each other through a chain). */
let components;

function readImports(file) {
  let mtime;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return;
  }
  if (graph.get(file)?.mtime === mtime) return;
  const targets = [];
  for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
    const target = resolveSpecifier(file, match[1] ?? match[2] ?? match[3]);
    if (target !== undefined) targets.push(target);
  }
  graph.set(file, { mtime, targets });
  components = undefined;
}

function loadGraph(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) loadGraph(path);
    else if (path.endsWith(".ts")) readImports(path);
  }
}

/** Tarjan's strongly connected components over the graph. */
function componentOf(file) {
  if (components === undefined) {
    components = new Map();
    const index = new Map();
    const low = new Map();
    const stack = [];
    const onStack = new Set();
    let next = 0;
    const visit = (node) => {
      index.set(node, next);
      low.set(node, next++);
      stack.push(node);
      onStack.add(node);
      for (const target of graph.get(node)?.targets ?? []) {
        if (!index.has(target)) {
          visit(target);
          low.set(node, Math.min(low.get(node), low.get(target)));
        } else if (onStack.has(target)) {
          low.set(node, Math.min(low.get(node), index.get(target)));
        }
      }
      if (low.get(node) === index.get(node)) {
        for (let member = stack.pop(); ; member = stack.pop()) {
          onStack.delete(member);
          components.set(member, node);
          if (member === node) break;
        }
      }
    };
    for (const node of graph.keys()) if (!index.has(node)) visit(node);
  }
  return components.get(file);
}

/** A chain of imports from `start` back to `goal`, or undefined. */
function pathBack(start, goal) {
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const next of graph.get(file)?.targets ?? []) {
      if (previous.has(next)) continue;
      previous.set(next, file);
      if (next === goal) {
        const chain = [goal];
        for (let at = file; at !== undefined; at = previous.get(at)) chain.unshift(at);
        return chain;
      }
      queue.push(next);
    }
  }
  return undefined;
}

/** Calls `check(node, specifier)` for every module specifier of the file being linted. */
function eachSpecifier(check) {
  const literal = (node, source) => {
    if (source?.type === "Literal" && typeof source.value === "string") check(node, source.value);
  };
  return {
    ImportDeclaration: (node) => literal(node, node.source),
    ExportNamedDeclaration: (node) => literal(node, node.source),
    ExportAllDeclaration: (node) => literal(node, node.source),
    ImportExpression: (node) => literal(node, node.source),
    // `typeof import("./x")`
    TSImportType: (node) => literal(node, node.argument?.literal ?? node.source),
  };
}

/**
 * The plugin: `rooms/import-downward` and `rooms/no-cycle`.
 * @param {{ root: string, table: string }} where the repository root and the room table
 */
export function roomsPlugin({ root, table }) {
  const rooms = readRooms(resolve(root, table));
  const show = (file) => relative(root, file).split("\\").join("/");
  return {
    meta: { name: "rooms" },
    rules: {
      "import-downward": {
        meta: {
          type: "problem",
          docs: { description: `A room of src/ imports only the rooms below it (${table})` },
          schema: [],
        },
        create(context) {
          const file = context.filename;
          const own = roomOf(rooms, root, file);
          if (own === undefined) {
            return {
              Program: (node) =>
                context.report({ node, message: `${show(file)} is in no room: add its folder to the room table of ${table} (where it sits says what it may import).` }),
            };
          }
          return eachSpecifier((node, specifier) => {
            const target = resolveSpecifier(file, specifier);
            if (target === undefined) return;
            const room = roomOf(rooms, root, target);
            if (room === undefined || room.rank <= own.rank) return;
            context.report({
              node,
              message: `${own.path} (room ${own.rank}) may not import ${show(target)}: ${room.path} is room ${room.rank}, above it. Rooms import only rooms below them (${table}); move what is needed down.`,
            });
          });
        },
      },
      "no-cycle": {
        meta: {
          type: "problem",
          docs: { description: "No import cycles in src/, type-only imports included" },
          schema: [],
        },
        create(context) {
          const file = context.filename;
          if (graph.size === 0) loadGraph(resolve(root, "src"));
          readImports(file);
          return eachSpecifier((node, specifier) => {
            const target = resolveSpecifier(file, specifier);
            if (target === undefined || componentOf(target) !== componentOf(file)) return;
            const chain = target === file ? [file] : pathBack(target, file);
            if (chain === undefined) return;
            context.report({ node, message: `Import cycle: ${[file, ...chain].map(show).join(" -> ")}. Move what both need into a file (or room) below them.` });
          });
        },
      },
    },
  };
}

// The house's two rules (docs/architecture.md): a room of src/ imports only the rooms below it,
// and no import cycles. Both read the room table of docs/architecture.md, the one place the
// order is written. Type-only imports count: a type that must climb lives in the wrong room
// (import-x/no-cycle skips them, which is how two cycles went unseen).
import { readFileSync, statSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import ts from "typescript";

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
function resolveSpecifier(fromFile, specifier) {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(fromFile), specifier).replace(/\.js$/, "");
  for (const candidate of [`${base}.ts`, `${base}.d.ts`, `${base}/index.ts`, base]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not this one.
    }
  }
  return undefined;
}

/** Every file a file imports (static, type-only, re-exports, `import()`), by mtime. */
const importsCache = new Map();
function importsOf(file) {
  let mtime;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const cached = importsCache.get(file);
  if (cached !== undefined && cached.mtime === mtime) return cached.targets;
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  const targets = importedFiles.map((imported) => resolveSpecifier(file, imported.fileName)).filter((target) => target !== undefined);
  importsCache.set(file, { mtime, targets });
  return targets;
}

/** A chain of imports from `start` back to `goal`, or undefined. */
function pathBack(start, goal) {
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const next of importsOf(file)) {
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
          return eachSpecifier((node, specifier) => {
            const target = resolveSpecifier(file, specifier);
            if (target === undefined) return;
            const chain = target === file ? [file] : pathBack(target, file);
            if (chain === undefined) return;
            context.report({ node, message: `Import cycle: ${[file, ...chain].map(show).join(" -> ")}. Move what both need into a file (or room) below them.` });
          });
        },
      },
    },
  };
}

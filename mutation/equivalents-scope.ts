import type { EquivalentMutant } from "./equivalents";

/** The equivalent mutants of src/scope/ (see mutation/equivalents.ts for the format). */

const SHARED_STORE_READ = "src/scope/shared-store-read.ts";
const NEWER_ENTRY = "if (next !== undefined && next.savedAt > seen && this.adopt(scope, next)) return true;";

export const SCOPE_EQUIVALENTS: readonly EquivalentMutant[] = [
  {
    file: SHARED_STORE_READ,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: NEWER_ENTRY,
    reason: "the entry first read was not fresh and never becomes so (its age grows, changes only add): adopting it again serves the same stale flags and answers false",
  },
  {
    file: SHARED_STORE_READ,
    mutator: "EqualityOperator",
    replacement: "next.savedAt >= seen",
    line: NEWER_ENTRY,
    reason: "the same: an entry as old as the one first read is that entry, not fresh, adopted again to the same effect",
  },
];

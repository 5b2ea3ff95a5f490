import type { EquivalentMutant } from "./equivalents";

/** The equivalent mutants of helper mutF's files (see mutation/equivalents.ts for the format). */

const USER_SCOPES = "src/scope/user-scopes.ts";

export const MUTF_EQUIVALENTS: readonly EquivalentMutant[] = [
  {
    file: USER_SCOPES,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "if (this.closed) return;",
    reason: "(refreshLive) only the poll tick and invalidate() call it, and the client stops polling and the stream at close() and checks for closed before refresh() and TestData's changes",
  },
  {
    file: USER_SCOPES,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "if (done) return;",
    reason: "a second settle only comes from the fetch landing after the deadline fired: it clears pending (which that fetch's other waits clear at the same moment), marks nothing (answered) and resolves a settled promise",
  },
  {
    file: USER_SCOPES,
    mutator: "BooleanLiteral",
    replacement: "false",
    line: "done = true;",
    reason: "the same second settle, let through: the fetch landing after the deadline fired clears pending, marks nothing (answered) and resolves a settled promise",
  },
  {
    file: USER_SCOPES,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (freshFor !== this.boundsFreshFor) {",
    reason: "rebuilding the bounds on every call gives equal bounds: it only costs an allocation",
  },
];

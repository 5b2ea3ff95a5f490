import type { EquivalentMutant } from "./equivalents";

/** mutC's equivalent mutants (see mutation/equivalents.ts for the format). */

const IS_SAME_USER = "src/scope/is-same-user.ts";
const USER_ENTRIES = "src/scope/user-entries.ts";
const EVALUATION_HOOKS = "src/scope/evaluation-hooks.ts";
const VALIDATE_USER = "src/scope/validate-user.ts";
const ATTRIBUTES_CHECK = 'return typeof attributes === "object" && attributes !== null && isSameJson(attributes, known.attributes);';

export const MUTC_EQUIVALENTS: readonly EquivalentMutant[] = [
  {
    file: IS_SAME_USER,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: ATTRIBUTES_CHECK,
    reason: "known.attributes is a plain object here, and isSameJson against an object answers false itself for a primitive, null or an array",
  },
  {
    file: IS_SAME_USER,
    mutator: "LogicalOperator",
    replacement: 'typeof attributes === "object" || attributes !== null',
    line: ATTRIBUTES_CHECK,
    reason: "the same: isSameJson against known's attribute object answers false itself for a primitive or null",
  },
  {
    file: USER_ENTRIES,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (entry === undefined || !isSameUser(user, entry.scope.user!)) {",
    reason: "skips only the fast lookup by id: where isSameUser says yes, isAcceptedUser + userKey find the same entry by key (test/scope/is-same-user.test.ts holds that)",
  },
  {
    file: USER_ENTRIES,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (this.byId.get(id) === entry) this.byId.delete(id);",
    reason: "forgetting another entry of the same id from byId only sends that user's next lookup down the slow path, which finds it by key",
  },
  {
    file: EVALUATION_HOOKS,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (index >= 0) this.replace(",
    reason: "unreachable as false: each add puts one copy in the list and its remover takes out at most one, once, so the hook is always found",
  },
  {
    file: EVALUATION_HOOKS,
    mutator: "UpdateOperator",
    replacement: "this.version--",
    line: "this.version++;",
    reason: "the status only asks whether version differs from when it was last built; it is rebuilt after every add and remove (the constructor, addHook and its remover), and between builds only failures move version, all one way",
  },
  {
    file: VALIDATE_USER,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (data === undefined) {",
    reason: "skips only the fast path: userSchema accepts the same users and outputs the same data (the property test in validate-user.test.ts holds it)",
  },
  {
    file: VALIDATE_USER,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (!isAcceptedUser(user)) return undefined;",
    reason: "the same fast path given up: userSchema then accepts and outputs the same",
  },
  {
    file: VALIDATE_USER,
    mutator: "BooleanLiteral",
    replacement: "false",
    line: 'if (key === "__proto__") Object.defineProperty(copy, key,',
    reason: "the copy is frozen right after, which makes every property non-writable and non-configurable anyway",
  },
];

import type { EquivalentMutant } from "./equivalents";

/** The equivalent mutants of the lead's files (issue 25; see mutation/equivalents.ts for the format). */

const FNV1A32 = "src/evaluation/fnv1a32.ts";
const PARSE_SEMVER = "src/evaluation/parse-semver.ts";
const ERROR_DETAIL = "src/resilience/error-detail.ts";
const GO_FORMAT_FLOAT = "src/evaluation/go-format-float.ts";
const DECODE_FLAGS = "src/transport/decode-flags.ts";
const EVENT_SENDER = "src/events/event-sender.ts";
const REASON_ID = "const id = `${wire.kind}|${wire.ruleId ?? \"\"}|${wire.ruleIndex ?? 0}|${wire.inRollout === true}|${wire.errorKind ?? \"\"}`;";
const CACHE_ENTRY = "src/cache/cache-entry.ts";
const GENERATION_CHECK = "if (generation !== undefined && !(Number.isSafeInteger(generation) && (generation as number) >= 0)) return undefined;";
const LOW_SURROGATE_READ = "const low = index + 1 < length ? text.charCodeAt(index + 1) : 0;";

const FLAG_TABLE = "src/model/flag-table.ts";
const EVALUATION_COUNTER = "src/telemetry/evaluation-counter.ts";
const SNAPSHOT_STORE = "src/scope/snapshot-store.ts";

export const LEAD_EQUIVALENTS: readonly EquivalentMutant[] = [
  {
    file: DECODE_FLAGS,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "const prior = priorKeys?.[position] === key ? previous!.states[position] : previous?.get(key);",
    reason: "a shortcut: when the key sits at the same position in the previous table, looking it up by key finds the same state",
  },
  {
    file: EVALUATION_COUNTER,
    mutator: "MethodExpression",
    replacement: "Math.max(2 * this.tally.length, 2 * MAX_COUNTED_FLAGS)",
    line: "const grown = new Uint32Array(Math.min(2 * this.tally.length, 2 * MAX_COUNTED_FLAGS));",
    reason: "growing the tally straight to the cap costs memory (800 KB) but moves no count: every flag keeps its slots 2i and 2i + 1, below the cap either way",
  },
  {
    file: FLAG_TABLE,
    mutator: "EqualityOperator",
    replacement: "index <= a.length",
    line: "for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;",
    reason: "the lengths are equal here (checked just above): one step past the end reads undefined on both sides, which are equal, and the loop ends",
  },
  {
    file: FLAG_TABLE,
    mutator: "ArrayDeclaration",
    replacement: "new Array()",
    line: "const cells: FlagCells = new Array<number | JsonValue | undefined>(2 * states.length).fill(undefined);",
    reason: "sizing and filling the array up front only saves its growth and gives every table the same elements kind (a matter of speed): the loop below assigns every cell in order, so the array ends with the same values either way",
  },
  {
    file: FNV1A32,
    mutator: "EqualityOperator",
    replacement: "index + 1 <= length",
    line: LOW_SURROGATE_READ,
    reason: "past the end charCodeAt gives NaN, which fails every comparison below just as the 0 does: the lone high surrogate is hashed as U+FFFD either way",
  },
  {
    file: FNV1A32,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: LOW_SURROGATE_READ,
    reason: "the same bound: reading past the end gives NaN, never a low surrogate, so nothing pairs",
  },
  {
    file: PARSE_SEMVER,
    mutator: "EqualityOperator",
    replacement: "digits >= 0",
    line: "parts[part] = digits > 0 ? checkedAtoi(value, partStart, index, number, digits) : 0;",
    reason: "a part with no digit has number 0, which checkedAtoi returns as it is (15 digits or fewer)",
  },
  {
    file: PARSE_SEMVER,
    mutator: "EqualityOperator",
    replacement: "index <= 3",
    line: "for (let index = 0; index < 3; index++) {",
    reason: "a fourth round reads undefined on both sides, which is neither less nor greater: the loop ends with 0 as before",
  },
  {
    file: PARSE_SEMVER,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "if (digits <= 15) return value;",
    reason: "a shortcut: up to 15 digits the running number is exact, and the BigInt path returns the same value",
  },
  {
    file: PARSE_SEMVER,
    mutator: "EqualityOperator",
    replacement: "digits < 15",
    line: "if (digits <= 15) return value;",
    reason: "the same shortcut: at exactly 15 digits the BigInt path returns the same exact value",
  },
  {
    file: ERROR_DETAIL,
    mutator: "BlockStatement",
    replacement: "{}",
    line: "} catch {",
    reason: "without the early return, parsed stays undefined, which is not a record: the function returns undefined all the same",
  },
  {
    file: ERROR_DETAIL,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: 'if (text === "") return undefined;',
    reason: "a shortcut: an empty text is not JSON, and errorDetail of an empty text is undefined too",
  },
  {
    file: ERROR_DETAIL,
    mutator: "StringLiteral",
    replacement: '"Stryker was here!"',
    line: 'if (text === "") return undefined;',
    reason: "the same shortcut never taken: an empty text still ends as undefined through errorDetail",
  },
  {
    file: ERROR_DETAIL,
    mutator: "StringLiteral",
    replacement: '""',
    line: 'const fromJson = text.startsWith("{")',
    reason: "a shortcut: text that does not start with { is never a JSON object, so parsing it yields no detail and the text itself is used",
  },
  {
    file: FNV1A32,
    mutator: "ArithmeticOperator",
    replacement: "index - 1",
    line: LOW_SURROGATE_READ,
    original: "index + 1",
    reason: "in the bound (the other index + 1 on this line, the read, is killed by the surrogate tests): index - 1 < length always holds, and reading past the end gives NaN, never a low surrogate",
  },
  {
    file: GO_FORMAT_FLOAT,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: 'if (value !== value) return "NaN";',
    reason: 'NaN.toExponential() is "NaN", with no "e": the slicing below takes "N" and "aN" around an empty pad and gives "NaN" as well',
  },
  {
    file: GO_FORMAT_FLOAT,
    mutator: "EqualityOperator",
    replacement: "value >= 0",
    line: 'if (magnitude === Infinity) return value > 0 ? "+Inf" : "-Inf";',
    reason: "an infinite value is never 0, so > 0 and >= 0 agree",
  },
  {
    file: DECODE_FLAGS,
    mutator: "StringLiteral",
    replacement: '"Stryker was here!"',
    line: REASON_ID,
    reason: "the interning key's stand-in for an absent ruleId or errorKind: any text that no real value equals keys the same reasons apart (an errorKind is one of six names, and buildReason drops an empty ruleId, so \"\" and absent build equal reasons)",
  },
  {
    file: EVENT_SENDER,
    mutator: "BooleanLiteral",
    replacement: "true",
    line: "return false; // nothing more to send, ever",
    reason: "(the 401/403 branch of send) the key was refused and stopped is set just above: the pass loop checks stopped before the next batch, so telling it to go on sends nothing",
  },
  {
    file: CACHE_ENTRY,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "...(entry.generation === undefined ? {} : { generation: entry.generation }),",
    reason: "JSON.stringify leaves out a property whose value is undefined, so { generation: undefined } writes the same text",
  },
  {
    file: CACHE_ENTRY,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: GENERATION_CHECK,
    reason: "(the fast path) giving up on every generation hands the entry to the schemas, which accept and reject the same generations: slower, same result",
  },
  {
    file: CACHE_ENTRY,
    mutator: "EqualityOperator",
    replacement: "generation as number > 0",
    line: GENERATION_CHECK,
    reason: "(the fast path) giving up on generation 0 hands the entry to the schemas, which accept it: slower, same result",
  },
  {
    file: "src/snapshot/prior-if-equal.ts",
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "return prior.value === value || jsonEqual(prior.value, value) ? prior : undefined;",
    reason: "jsonEqual starts with the same identity check (`a === b`): the shortcut only saves a call",
  },
  {
    file: DECODE_FLAGS,
    mutator: "ArithmeticOperator",
    replacement: "keys.push(key) + 1",
    line: "const position = keys.push(key) - 1;",
    reason: "(only where the previous table's state is looked for) at a wrong position the keys differ, and the state is found by key instead (`previous.get(key)`): the same state, one lookup slower",
  },
  {
    file: CACHE_ENTRY,
    mutator: "ArithmeticOperator",
    replacement: "keys.push(key) + 1",
    line: "const position = keys.push(key) - 1;",
    reason: "(only where the prior table's state is looked for) at a wrong position the keys differ, and the state is found by key instead (`prior.get(key)`): the same state, one lookup slower",
  },
  {
    file: CACHE_ENTRY,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "const previous = priorKeys?.[position] === key ? prior!.states[position] : prior?.get(key);",
    reason: "the state at the same position is the one `prior.get(key)` finds when the keys there are the same: the same state, one lookup slower",
  },
  {
    file: CACHE_ENTRY,
    mutator: "ArrayDeclaration",
    replacement: '["Stryker was here"]',
    line: "const validKeys: string[] = [];",
    reason: "(the schema path) it only ever ends in a rejection, which drops keys: the fast path accepts every entry JSON.parse can give that the schemas accept (the same checks, written out), so an entry reaching the schemas is refused",
  },
  {
    file: EVALUATION_COUNTER,
    mutator: "EqualityOperator",
    replacement: "position <= keys.length",
    line: "for (let position = 0; position < keys.length; position++) {",
    reason: "one step past the last flag reads the cell after the table's end, undefined, whose count (`undefined >>> 4`) is 0: the step is skipped like any slot with no count",
  },
  {
    file: SNAPSHOT_STORE,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (previous.flags !== next.flags) this.evaluations?.retire(previous.flags);",
    reason: "the same table applied again (a 304) is the current one: retiring it only gathers its counts now instead of at the next gathering, into the same tally; the check saves that pass over its flags",
  },
];

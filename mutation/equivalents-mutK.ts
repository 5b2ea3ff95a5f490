import type { EquivalentMutant } from "./equivalents";

/** The equivalent mutants of mutK's files, the Go regex engine (see mutation/equivalents.ts for the format). */

const VM = "src/evaluation/go-regex-vm.ts";
const PROGRAM = "src/evaluation/go-regex-program.ts";
const PARSER = "src/evaluation/go-regex-parser.ts";
const CACHE = "src/evaluation/go-regex-cache.ts";
const CLASS = "src/evaluation/go-regex-class.ts";
const ESCAPE = "src/evaluation/go-regex-escape.ts";
const GROUP = "src/evaluation/go-regex-group.ts";
const REPEAT = "src/evaluation/go-regex-repeat.ts";
const GO_REGEX = "src/evaluation/go-regex.ts";
const MATCHER = "src/evaluation/char-class-matcher.ts";
const CHAR_CLASSES = "src/evaluation/go-char-classes.ts";
const NO_PREFILTER = 'if (required === "") return { test: (text) => matchesGoRegexProgram(program, text), programSize };';
const PREFILTER_ONLY =
  "the required literal only rules texts out before the NFA runs: a text without a run of literals that every match contains has no match either, and an empty or shorter literal (\"\" is in every text) rules out less, at a cost only";
const LONGEST = "if (run.length > longest.length) longest = run;";
const ANY_RUN =
  "every run of case-sensitive literals in the top-level concatenation is in every match (assertions between them consume nothing), so any one of them, or none, is a valid prefilter: only the cost changes";
const BRACE_END = "if (index >= pattern.length) return undefined;";
const BRACE_END_SAME =
  "braces cut short by the end read on: charCodeAt past the end is NaN, no comma, digit or }, so parseRepeatBraces still answers undefined (the brace is a literal)";
const CLOSING_BRACE = "if (index >= pattern.length || pattern.charCodeAt(index) !== 0x7d) return undefined;";
const NUMBER_START = "if (start >= pattern.length || !isDigit(pattern.charCodeAt(start))) return undefined;";
const DIGITS = "while (end < pattern.length && isDigit(pattern.charCodeAt(end))) end++;";
const PAST_END_NO_DIGIT = "charCodeAt past the end is NaN, which is no digit: the same answer";
const OVERFLOW = "if (value >= 1e8) {";
const OVERFLOW_SAME =
  "a count that reaches 1e8 without becoming -1 stays over 1000 (up to Infinity), and the parser refuses it with the same invalid repeat count and quote as -1";
const X_AT_END = "if (index >= pattern.length) break;";
const X_AT_END_SAME =
  "\\x (or \\x and one digit) at the very end read on: codePointAt past the end is undefined, which is no { and no hex digit, so it is refused the same, and the quote's slice stops at the end";
const X_BRACE_OPEN = 'if (index >= pattern.length) refuse(pattern, "invalid escape sequence", start, index);';
const X_BRACE_OPEN_SAME =
  "an unclosed \\x{ read on past the end: codePointAt there is undefined, no } and no hex digit (undefined | 0x20 is 0x20), so it is refused with the same quote (the slice stops at the end)";
const P_AT_END = 'if (nameStart >= pattern.length) refuse(pattern, "invalid character class range", start, pattern.length);';
const P_AT_END_SAME =
  "\\p or \\P at the very end: read on, its name is \"\" (codePointAt past the end is undefined, no {), which no table has, so it is refused with the same message (the quote's slice stops at the end)";
const CLASS_LOOP = "while (index >= pattern.length || pattern.charCodeAt(index) !== 0x5d || first) {";
const CLASS_LOOP_SAME = "past the end, charCodeAt is NaN, which is no ], so the loop goes on to refuse the missing ] either way";
const POSIX_START = 'if (pattern.length - index > 2 && pattern.startsWith("[:", index)) {';
const POSIX_SHORT = "with 2 or fewer characters left, a [: there has no :] after it: indexOf answers -1 and the [ is read as a character, as without the check";
const RANGE = "if (pattern.length - index >= 2 && pattern.charCodeAt(index) === 0x2d && pattern.charCodeAt(index + 1) !== 0x5d) {";
const RANGE_SHORT =
  "a - as the last character of the pattern read as a range start: the range's end is then missing, refused as missing closing ] quoting the class to the end, exactly as when the - is read as a character and the ] is missing after it";
const COMPILED_ONLY = "a pattern compiles to the same regex again: only compile work differs, never an answer";
const BUDGET_CHECK = "if (regex.programSize > 0 && !fitsRegexBudget(pattern, regex.programSize, text.length)) return false;";

const SKIP = 'if (pendingCount === 0 && firstCharacter !== "" && !anchoredStart) {';
const NO_SKIP = "no skipping: the search tries every position, and where the skip would have jumped no match can start, so the NFA finds none there either";
const RESET = "if (visitMark >= 0xfffffff0) {";
const COUNT_CHECK = "if (counted && (min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {";
const CHECKED_BELOW =
  "a repeat of at most 1 copy (*, +, ?, {0,1}, {1}) passes the limit of 1000 down unchanged, and everything under it was checked against 1000 when it was parsed: the check answers true";
const CLASS_KEY = 'const key = `${negated ? "^" : "+"}${foldCase ? "i" : "-"}${source}`;';

export const MUTK_EQUIVALENTS: readonly EquivalentMutant[] = [
  // go-regex-vm.ts: the search's shortcuts and bookkeeping, which change its cost, not its answer.
  {
    file: VM,
    mutator: "EqualityOperator",
    replacement: "visited.length > size",
    line: "if (visited.length >= size) return;",
    reason: "buffers exactly as large as the program are reallocated to a larger size: only an allocation more",
  },
  {
    file: VM,
    mutator: "ArithmeticOperator",
    replacement: "visited.length / 2",
    line: "const capacity = Math.max(size, visited.length * 2);",
    reason: "the capacity is still at least size (Math.max): the buffers only grow less ahead",
  },
  {
    file: VM,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "const firstCharacter = program.firstCodePoint < 0 ?",
    reason: `the first character left unused: ${NO_SKIP}`,
  },
  {
    file: VM,
    mutator: "EqualityOperator",
    replacement: "program.firstCodePoint <= 0",
    line: "const firstCharacter = program.firstCodePoint < 0 ?",
    reason: `a first character U+0000 left unused: ${NO_SKIP}`,
  },
  { file: VM, mutator: "ConditionalExpression", replacement: "false", line: SKIP, reason: NO_SKIP },
  { file: VM, mutator: "BlockStatement", replacement: "{}", line: SKIP, reason: NO_SKIP },
  {
    file: VM,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: SKIP,
    reason: `without a first character, indexOf("", position) is position: ${NO_SKIP}`,
  },
  {
    file: VM,
    mutator: "EqualityOperator",
    replacement: 'firstCharacter === ""',
    line: SKIP,
    reason: `the skip taken only with no first character, where indexOf("", position) is position: ${NO_SKIP}`,
  },
  {
    file: VM,
    mutator: "StringLiteral",
    replacement: '"Stryker was here!"',
    line: SKIP,
    reason: `the skip taken without a first character too, where indexOf("", position) is position: ${NO_SKIP}`,
  },
  {
    file: VM,
    mutator: "BooleanLiteral",
    replacement: "anchoredStart",
    line: SKIP,
    reason: "the skip taken in anchored searches only: a jump from position 0 means the text does not start with the first character, and the anchored search answers false either way; unanchored ones lose the skip only",
  },
  {
    file: VM,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: RESET,
    reason: "clearing the visited marks at every step costs time; the marks then start again from 1, as distinct as before",
  },
  {
    file: VM,
    mutator: "EqualityOperator",
    replacement: "visitMark < 0xfffffff0",
    line: RESET,
    reason: "clearing the visited marks at every step costs time; the marks then start again from 1, as distinct as before",
  },
  {
    file: VM,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: RESET,
    reason: "the marks wrap only after 4,294,967,280 search steps (all searches together), which no test can run",
  },
  {
    file: VM,
    mutator: "BlockStatement",
    replacement: "{}",
    line: RESET,
    reason: "the marks wrap only after 4,294,967,280 search steps (all searches together), which no test can run",
  },
  {
    file: VM,
    mutator: "EqualityOperator",
    replacement: "visitMark > 0xfffffff0",
    line: RESET,
    reason: "clearing one step later is still 15 marks short of the Uint32 limit",
  },
  {
    file: VM,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "const previous = position > 0 ? text.charCodeAt(position - 1) : -1;",
    reason: "at position 0, charCodeAt(-1) is NaN, which like -1 is no word character and no \\n",
  },
  {
    file: VM,
    mutator: "EqualityOperator",
    replacement: "position >= 0",
    line: "const previous = position > 0 ? text.charCodeAt(position - 1) : -1;",
    reason: "at position 0, charCodeAt(-1) is NaN, which like -1 is no word character and no \\n",
  },
  {
    file: VM,
    mutator: "UnaryOperator",
    replacement: "+1",
    line: "const previous = position > 0 ? text.charCodeAt(position - 1) : -1;",
    reason: "before the text, 1 (U+0001) is, like -1, no word character and no \\n; beginLine tests position 0 first",
  },
  {
    file: VM,
    mutator: "EqualityOperator",
    replacement: "position <= length",
    line: "const current = position < length ? text.charCodeAt(position) : -1;",
    reason: "at the end, charCodeAt(length) is NaN, which like -1 is no word character and no \\n; endLine tests the end first",
  },
  {
    file: VM,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "const current = position < length ? text.charCodeAt(position) : -1;",
    reason: "position never passes length, so this is the position <= length mutant above: NaN at the end, like -1, is no word character and no \\n",
  },
  {
    file: VM,
    mutator: "UnaryOperator",
    replacement: "+1",
    line: "const current = position < length ? text.charCodeAt(position) : -1;",
    reason: "after the text, 1 (U+0001) is, like -1, no word character and no \\n; endLine tests the end first",
  },
  {
    file: VM,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (visited[pc] !== mark) {",
    reason: "a pending thread pushed twice: a duplicate, whose instructions the visited marks of its first copy already cover",
  },
  {
    file: VM,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if ((position === 0 || !anchoredStart) && visited[start] !== mark) {",
    reason: "the entry pushed again when a live thread is already there: a duplicate thread, merged by the next step's visited marks",
  },
  {
    file: VM,
    mutator: "LogicalOperator",
    replacement: "position === 0 || !anchoredStart || visited[start] !== mark",
    line: "if ((position === 0 || !anchoredStart) && visited[start] !== mark) {",
    reason: "an anchored program starts with beginText on every path, so an entry thread added past position 0 dies at that assertion; else a duplicate, as above",
  },
  {
    file: VM,
    mutator: "EqualityOperator",
    replacement: "stackSize >= 0",
    line: "while (stackSize > 0) {",
    reason: "one more pop reads stack[-1], undefined: its opcode is no instruction, so it lands in runnable and consumes nothing",
  },
  {
    file: VM,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (visited[b] !== mark) {",
    reason: "a split's second branch followed twice: duplicate threads only (every cycle of empty steps passes a loop's first branch, still checked, so this cannot spin)",
  },

  {
    file: VM,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (visited[next] !== mark && assertionHolds(first[pc], position, length, previous, current)) {",
    reason: "an assertion's continuation followed twice: duplicate threads only (the splits of a loop are still checked, so this cannot spin)",
  },
  {
    file: VM,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "if (position >= length || (runnableCount === 0 && anchoredStart)) return false;",
    reason: "an anchored search with no thread left reads on to the end: no thread can start after position 0, so it answers false there",
  },
  {
    file: VM,
    mutator: "BooleanLiteral",
    replacement: "true",
    line: "accepted = false;",
    reason: "unreachable: runnable only holds instructions that consume (MATCH returns, SPLIT and ASSERT are followed)",
  },
  // go-regex-program.ts
  {
    file: PROGRAM,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (error instanceof ProgramTooLarge || error instanceof SyntaxError) return undefined;",
    reason: "compiling throws nothing else: emit() throws ProgramTooLarge and a class's RegExp a SyntaxError",
  },
  {
    file: PROGRAM,
    mutator: "UnaryOperator",
    replacement: "+1",
    line: "const loop = this.emit(OP_SPLIT, -1, next);",
    reason: "a placeholder, overwritten with the body's entry two lines down before anything reads it",
  },
  {
    file: PROGRAM,
    mutator: "StringLiteral",
    replacement: '""',
    line: CLASS_KEY,
    reason: "(each of the four prefixes) the class cache key stays unique with any one prefix emptied: the other prefix is i, - or + and the source starts with \\ or [, never with those",
  },
  {
    file: PROGRAM,
    mutator: "EqualityOperator",
    replacement: "node.subs.length >= 0",
    line: "return node.subs.length > 0 && isAnchoredAtStart(node.subs[0]);",
    reason: "a concat always has two or more items (the parser returns EMPTY for none and the item itself for one)",
  },
  // mutL
  {
    file: PROGRAM,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "return node.subs.length > 0 && isAnchoredAtStart(node.subs[0]);",
    reason: "a concat always has two or more items (the parser returns EMPTY for none and the item itself for one)",
  },
  // go-regex-parser.ts
  {
    file: PARSER,
    mutator: "BooleanLiteral",
    replacement: "true",
    line: "this.repeat(code === 0x2b ? 1 : 0, code === 0x3f ? 1 : -1, false, start, lastRepeat);",
    reason: "*, + and ? counted like {n,m}: their min and max are below 2, so no check runs for them, and inside a count they stand for at most 1 copy, never more than the copies left (at least 1)",
  },
  {
    file: PARSER,
    mutator: "EqualityOperator",
    replacement: "lastRepeat > 0",
    line: 'if (lastRepeat >= 0) this.fail("invalid nested repetition operator", lastRepeat, this.index);',
    reason: "lastRepeat is never 0 here: a repetition operator at index 0 has no argument and was refused there",
  },
  { file: PARSER, mutator: "ConditionalExpression", replacement: "true", line: COUNT_CHECK, reason: CHECKED_BELOW },
  { file: PARSER, mutator: "LogicalOperator", replacement: "counted || min >= 2 || max >= 2", line: COUNT_CHECK, reason: CHECKED_BELOW },
  {
    file: PARSER,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: 'if (opening.kind !== "capture") this.flags = opening.flags;',
    reason: "a capture's opening carries the flags in force, unchanged: setting them again changes nothing",
  },
  {
    file: PARSER,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "if (items.length === 0) return EMPTY;",
    reason: "an empty concatenation (height 1, no items) compiles to its continuation, is skipped by the literal scans and is not anchored, exactly as EMPTY",
  },
  {
    file: PARSER,
    mutator: "MethodExpression",
    replacement: "alternatives",
    line: "alternatives.reverse();",
    reason: "the order of alternatives cannot change whether a pattern matches: the NFA follows all of them, and no submatch is reported",
  },
  {
    file: PARSER,
    mutator: "EqualityOperator",
    replacement: "end <= 0",
    line: "for (const character of pattern.slice(start + 2, end < 0 ? pattern.length : end)) {",
    reason: "\\E is searched from after \\Q, so end is -1 or at least 2, never 0",
  },
  {
    file: PARSER,
    mutator: "EqualityOperator",
    replacement: "end <= 0",
    line: "this.index = end < 0 ? pattern.length : end + 2;",
    reason: "\\E is searched from after \\Q, so end is -1 or at least 2, never 0",
  },
  // mutL
  {
    file: PARSER,
    mutator: "OptionalChaining",
    replacement: "items[0].op",
    line: 'const firstFold = items[0]?.op === "literal" ? items[0].foldCase : undefined;',
    reason: "items has two or more entries here (none and one returned just above), so items[0] is never undefined",
  },
  // go-regex-cache.ts (mutL)
  {
    file: CACHE,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: "if (regex === undefined) {",
    reason: `compiling a cached pattern again: ${COMPILED_ONLY}`,
  },
  {
    file: CACHE,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: BUDGET_CHECK,
    reason: "a plain literal's programSize is 0, and 0 × (length + 1) is always within the budget: fitsRegexBudget answers true",
  },
  {
    file: CACHE,
    mutator: "EqualityOperator",
    replacement: "regex.programSize >= 0",
    line: BUDGET_CHECK,
    reason: "a plain literal's programSize is 0, and 0 × (length + 1) is always within the budget: fitsRegexBudget answers true",
  },
  // go-regex-class.ts (mutL)
  { file: CLASS, mutator: "ConditionalExpression", replacement: "false", line: P_AT_END, reason: P_AT_END_SAME },
  { file: CLASS, mutator: "EqualityOperator", replacement: "nameStart > pattern.length", line: P_AT_END, reason: P_AT_END_SAME },
  {
    file: CLASS,
    mutator: "EqualityOperator",
    replacement: "close <= 0",
    line: 'if (close < 0) refuse(pattern, "invalid character class range", start, pattern.length);',
    reason: "} is searched from the backslash on, and the backslash itself is no }, so close is -1 or past start: never 0",
  },
  { file: CLASS, mutator: "ConditionalExpression", replacement: "false", line: CLASS_LOOP, reason: CLASS_LOOP_SAME },
  { file: CLASS, mutator: "EqualityOperator", replacement: "index > pattern.length", line: CLASS_LOOP, reason: CLASS_LOOP_SAME },
  { file: CLASS, mutator: "ConditionalExpression", replacement: "true", line: POSIX_START, reason: POSIX_SHORT },
  { file: CLASS, mutator: "EqualityOperator", replacement: "pattern.length - index >= 2", line: POSIX_START, reason: POSIX_SHORT },
  { file: CLASS, mutator: "ArithmeticOperator", replacement: "pattern.length + index", line: POSIX_START, reason: POSIX_SHORT },
  {
    file: CLASS,
    mutator: "EqualityOperator",
    replacement: "close > 0",
    line: "if (close >= 0) {",
    reason: ":] is searched from 2 past the [ of [:, which is itself inside [...]: close is -1 or at least 3, never 0",
  },
  { file: CLASS, mutator: "ConditionalExpression", replacement: "true", line: RANGE, reason: RANGE_SHORT },
  { file: CLASS, mutator: "ArithmeticOperator", replacement: "pattern.length + index", line: RANGE, reason: RANGE_SHORT },
  // go-regex-escape.ts (mutL)
  { file: ESCAPE, mutator: "ConditionalExpression", replacement: "false", line: X_AT_END, reason: X_AT_END_SAME },
  { file: ESCAPE, mutator: "EqualityOperator", replacement: "index > pattern.length", line: X_AT_END, reason: X_AT_END_SAME },
  { file: ESCAPE, mutator: "ConditionalExpression", replacement: "false", line: X_BRACE_OPEN, reason: X_BRACE_OPEN_SAME },
  { file: ESCAPE, mutator: "EqualityOperator", replacement: "index > pattern.length", line: X_BRACE_OPEN, reason: X_BRACE_OPEN_SAME },
  {
    file: ESCAPE,
    mutator: "UpdateOperator",
    replacement: "digits--",
    line: "digits++;",
    reason: "digits is only compared with 0 (no digit in the braces): counting down from 0 leaves it 0 exactly when counting up does",
  },
  // go-regex-group.ts (mutL)
  {
    file: GROUP,
    mutator: "EqualityOperator",
    replacement: "end <= 0",
    line: 'if (end < 0) refuse(pattern, "invalid named capture", start, pattern.length);',
    reason: "> is searched from the ( of (?, which is no >, so end is -1 or past start: never 0",
  },
  {
    file: GROUP,
    mutator: "BooleanLiteral",
    replacement: "true",
    line: "let sawFlag = false;",
    reason: "sawFlag is read only after a -, and reading the - sets it to false",
  },
  {
    file: GROUP,
    mutator: "EqualityOperator",
    replacement: "index <= pattern.length",
    line: "while (index < pattern.length) {",
    reason: "one more round reads charCodeAt past the end, NaN, which is no flag: it breaks out to the same refusal, whose quote's slice stops at the end",
  },
  // go-regex-repeat.ts (mutL)
  { file: REPEAT, mutator: "ConditionalExpression", replacement: "false", line: BRACE_END, reason: BRACE_END_SAME },
  { file: REPEAT, mutator: "EqualityOperator", replacement: "index > pattern.length", line: BRACE_END, reason: BRACE_END_SAME },
  { file: REPEAT, mutator: "ConditionalExpression", replacement: "false", line: CLOSING_BRACE, reason: `at the end, ${PAST_END_NO_DIGIT.replace("digit", "}")}` },
  { file: REPEAT, mutator: "EqualityOperator", replacement: "index > pattern.length", line: CLOSING_BRACE, reason: `at the end, ${PAST_END_NO_DIGIT.replace("digit", "}")}` },
  { file: REPEAT, mutator: "ConditionalExpression", replacement: "false", line: NUMBER_START, reason: `at the end, ${PAST_END_NO_DIGIT}` },
  { file: REPEAT, mutator: "EqualityOperator", replacement: "start > pattern.length", line: NUMBER_START, reason: `at the end, ${PAST_END_NO_DIGIT}` },
  { file: REPEAT, mutator: "ConditionalExpression", replacement: "true", line: DIGITS, reason: `at the end, ${PAST_END_NO_DIGIT}` },
  { file: REPEAT, mutator: "EqualityOperator", replacement: "end <= pattern.length", line: DIGITS, reason: `at the end, ${PAST_END_NO_DIGIT}` },
  { file: REPEAT, mutator: "EqualityOperator", replacement: "value > 1e8", line: OVERFLOW, reason: OVERFLOW_SAME },
  { file: REPEAT, mutator: "ConditionalExpression", replacement: "false", line: OVERFLOW, reason: OVERFLOW_SAME },
  { file: REPEAT, mutator: "BlockStatement", replacement: "{}", line: OVERFLOW, reason: OVERFLOW_SAME },
  {
    file: REPEAT,
    mutator: "EqualityOperator",
    replacement: "count <= 0",
    line: "if (count < 0) count = node.min;",
    reason: "count is never 0 here: a maximum of 0 returned true just above",
  },
  {
    file: PARSER,
    mutator: "EqualityOperator",
    replacement: "node.height >= height",
    line: "for (const node of nodes) if (node.height > height) height = node.height;",
    reason: "on equal heights the mutant assigns the number height already holds: the maximum is the same",
  },
  // go-regex.ts (mutL)
  { file: GO_REGEX, mutator: "EqualityOperator", replacement: 'required !== ""', line: NO_PREFILTER, reason: PREFILTER_ONLY },
  { file: GO_REGEX, mutator: "StringLiteral", replacement: '"Stryker was here!"', line: NO_PREFILTER, reason: PREFILTER_ONLY },
  { file: GO_REGEX, mutator: "BlockStatement", replacement: "{}", line: "for (const item of topLevelItems(node)) {", reason: PREFILTER_ONLY },
  { file: GO_REGEX, mutator: "BlockStatement", replacement: "{}", line: 'if (item.op === "literal" && !item.foldCase) {', reason: PREFILTER_ONLY },
  { file: GO_REGEX, mutator: "ConditionalExpression", replacement: "true", line: LONGEST, reason: ANY_RUN },
  { file: GO_REGEX, mutator: "ConditionalExpression", replacement: "false", line: LONGEST, reason: ANY_RUN },
  { file: GO_REGEX, mutator: "EqualityOperator", replacement: "run.length >= longest.length", line: LONGEST, reason: ANY_RUN },
  { file: GO_REGEX, mutator: "EqualityOperator", replacement: "run.length <= longest.length", line: LONGEST, reason: ANY_RUN },
  { file: GO_REGEX, mutator: "ConditionalExpression", replacement: "true", line: "} else if (!ZERO_WIDTH.has(item.op)) {", reason: ANY_RUN },
  {
    file: GO_REGEX,
    mutator: "EqualityOperator",
    replacement: "items.length >= (atStart ? 1 : 0)",
    line: 'const atEnd = items.length > (atStart ? 1 : 0) && items.at(-1)?.op === "endText";',
    reason: "the extra cases are no items (at(-1) is undefined) and one item that is ^ (beginText, not endText): atEnd is false either way",
  },
  {
    file: GO_REGEX,
    mutator: "ConditionalExpression",
    replacement: "true",
    line: 'const atEnd = items.length > (atStart ? 1 : 0) && items.at(-1)?.op === "endText";',
    reason: "the guard only rules out no items, or the one item ^ (beginText): at(-1) is then undefined or beginText, never endText, so atEnd is false without it too",
  },
  // char-class-matcher.ts (mutL)
  {
    file: MATCHER,
    mutator: "EqualityOperator",
    replacement: "code <= 128",
    line: "for (let code = 0; code < 128; code++) {",
    reason: "the extra round writes ascii[128], past the end of a Uint8Array(128), which a typed array ignores; nothing reads it",
  },
  {
    file: MATCHER,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "if (codePoint < 128) return this.ascii[codePoint] === 1;",
    reason: "the ASCII table is filled from the same sticky RegExp tested on the same single character: asking the RegExp instead gives the same answer, slower",
  },
  // go-char-classes.ts (mutL)
  {
    file: CHAR_CLASSES,
    mutator: "ConditionalExpression",
    replacement: "false",
    line: "return low === high ? lowText : `${lowText}-\\\\u{${high.toString(16)}}`;",
    reason: "a single code point written as the range \\u{x}-\\u{x}: the same class",
  },
];

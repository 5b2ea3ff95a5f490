import { CharClassMatcher } from "./char-class-matcher";
import { classRange } from "./go-char-classes";
import type { GoRegexAssertion, GoRegexNode } from "./go-regex-node";

/** Instruction opcodes of a `GoRegexProgram`. */
export const OP_MATCH = 0;
/** Consume the code point `first`, continue at `second`. */
export const OP_CHAR = 1;
/** Consume a code point in class number `first`, continue at `second`. */
export const OP_CLASS = 2;
/** Consume any code point, continue at `second`. */
export const OP_ANY = 3;
/** Consume any code point but `\n`, continue at `second`. */
export const OP_ANY_NOT_NEWLINE = 4;
/** Continue at both `first` and `second`. */
export const OP_SPLIT = 5;
/** Continue at `second` if assertion number `first` (see `ASSERTIONS`) holds here. */
export const OP_ASSERT = 6;

/** Assertion numbers used by `OP_ASSERT`, in this order. */
export const ASSERTIONS: readonly GoRegexAssertion[] = [
  "beginText",
  "endText",
  "beginLine",
  "endLine",
  "wordBoundary",
  "noWordBoundary",
];

/**
 * A Thompson NFA for a Go regex: parallel arrays of instructions, run by `matchesGoRegexProgram`
 * in time linear in the input (no backtracking, so no pattern can hang the server).
 */
export interface GoRegexProgram {
  readonly opcodes: Int32Array;
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly classes: readonly CharClassMatcher[];
  /** The entry instruction. */
  readonly start: number;
  /** The pattern can only match at the start of the text (it begins with `^` or `\A`). */
  readonly anchoredStart: boolean;
  /**
   * The code point every match starts with, or −1 if there is no single one: lets the search
   * jump with `indexOf` over text that cannot start a match.
   */
  readonly firstCodePoint: number;
}

/**
 * Programs beyond this many instructions are refused. Go allows ~3 million, but no targeting
 * rule needs more than a few hundred, and the memory is held in a cache.
 */
export const MAX_PROGRAM_SIZE = 50_000;

/**
 * Compiles a parsed Go regex to an NFA program.
 *
 * @returns The program, or `undefined` if it would exceed `MAX_PROGRAM_SIZE` instructions or
 *   uses a Unicode property this Node.js does not know.
 * @example
 * const parsed = parseGoRegex("^a+b");
 * const program = parsed.ok ? compileGoRegexProgram(parsed.node) : undefined;
 */
export function compileGoRegexProgram(node: GoRegexNode): GoRegexProgram | undefined {
  const builder = new ProgramBuilder();
  let start: number;
  try {
    start = builder.compile(node, builder.emit(OP_MATCH, 0, 0));
  } catch (error) {
    if (error instanceof ProgramTooLarge || error instanceof SyntaxError) return undefined;
    throw error;
  }
  return {
    opcodes: Int32Array.from(builder.opcodes),
    first: Int32Array.from(builder.first),
    second: Int32Array.from(builder.second),
    classes: builder.classes,
    start,
    anchoredStart: isAnchoredAtStart(node),
    firstCodePoint: firstCodePoint(builder, start),
  };
}

class ProgramTooLarge extends Error {}

/** Builds the program backwards: each node is compiled knowing where to continue after it. */
class ProgramBuilder {
  readonly opcodes: number[] = [];
  readonly first: number[] = [];
  readonly second: number[] = [];
  readonly classes: CharClassMatcher[] = [];
  private readonly classIndex = new Map<string, number>();

  emit(opcode: number, first: number, second: number): number {
    if (this.opcodes.length >= MAX_PROGRAM_SIZE) throw new ProgramTooLarge();
    this.opcodes.push(opcode);
    this.first.push(first);
    this.second.push(second);
    return this.opcodes.length - 1;
  }

  /** @returns The entry instruction of `node`, which continues at `next` once matched. */
  compile(node: GoRegexNode, next: number): number {
    switch (node.op) {
      case "literal":
        return node.foldCase
          ? this.emit(OP_CLASS, this.addClass(classRange(node.codePoint, node.codePoint), false, true), next)
          : this.emit(OP_CHAR, node.codePoint, next);
      case "class":
        return this.emit(OP_CLASS, this.addClass(node.source, node.negated, node.foldCase), next);
      case "anyChar":
        return this.emit(OP_ANY, 0, next);
      case "anyCharNotNewline":
        return this.emit(OP_ANY_NOT_NEWLINE, 0, next);
      case "empty":
        return next;
      case "capture":
        return this.compile(node.sub, next);
      case "concat": {
        let entry = next;
        for (let index = node.subs.length - 1; index >= 0; index--) {
          entry = this.compile(node.subs[index], entry);
        }
        return entry;
      }
      case "alternate": {
        const entries = node.subs.map((sub) => this.compile(sub, next));
        let entry = entries[entries.length - 1];
        for (let index = entries.length - 2; index >= 0; index--) {
          entry = this.emit(OP_SPLIT, entries[index], entry);
        }
        return entry;
      }
      case "repeat":
        return this.compileRepeat(node.sub, node.min, node.max, next);
      default:
        return this.emit(OP_ASSERT, ASSERTIONS.indexOf(node.op), next);
    }
  }

  private compileRepeat(sub: GoRegexNode, min: number, max: number, next: number): number {
    let entry = next;
    if (max < 0) {
      // sub{min,}: min − 1 copies, then a loop `sub (split back or out)`; sub* enters at the split.
      const loop = this.emit(OP_SPLIT, -1, next);
      const body = this.compile(sub, loop);
      this.first[loop] = body;
      entry = min === 0 ? loop : body;
      for (let count = 1; count < min; count++) entry = this.compile(sub, entry);
      return entry;
    }
    // sub{min,max}: min copies, then max − min nested optional copies: x{1,3} = x(x(x)?)?.
    for (let count = 0; count < max - min; count++) {
      entry = this.emit(OP_SPLIT, this.compile(sub, entry), next);
    }
    for (let count = 0; count < min; count++) entry = this.compile(sub, entry);
    return entry;
  }

  private addClass(source: string, negated: boolean, foldCase: boolean): number {
    const key = `${negated ? "^" : "+"}${foldCase ? "i" : "-"}${source}`;
    let index = this.classIndex.get(key);
    if (index === undefined) {
      index = this.classes.push(new CharClassMatcher(source, negated, foldCase)) - 1;
      this.classIndex.set(key, index);
    }
    return index;
  }
}

/** The code point every thread leaving `start` must consume first, or −1. */
function firstCodePoint(builder: ProgramBuilder, start: number): number {
  const seen = new Set<number>();
  const pending = [start];
  let codePoint = -1;
  while (pending.length > 0) {
    const pc = pending.pop() as number;
    if (seen.has(pc)) continue;
    seen.add(pc);
    switch (builder.opcodes[pc]) {
      case OP_SPLIT:
        pending.push(builder.first[pc], builder.second[pc]);
        break;
      case OP_ASSERT:
        // Assertions cannot consume; skipping positions where the next character is wrong is safe.
        pending.push(builder.second[pc]);
        break;
      case OP_CHAR: {
        const candidate = builder.first[pc];
        if (codePoint !== -1 && codePoint !== candidate) return -1;
        codePoint = candidate;
        break;
      }
      default:
        // A class, a dot, or a match of the empty string.
        return -1;
    }
  }
  // A lone surrogate could be found inside a pair by indexOf: no shortcut for those.
  return codePoint >= 0xd800 && codePoint <= 0xdfff ? -1 : codePoint;
}

function isAnchoredAtStart(node: GoRegexNode): boolean {
  switch (node.op) {
    case "beginText":
      return true;
    case "capture":
      return isAnchoredAtStart(node.sub);
    case "concat":
      return node.subs.length > 0 && isAnchoredAtStart(node.subs[0]);
    case "alternate":
      return node.subs.every(isAnchoredAtStart);
    default:
      return false;
  }
}

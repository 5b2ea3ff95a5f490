import {
  OP_ANY,
  OP_ANY_NOT_NEWLINE,
  OP_ASSERT,
  OP_CHAR,
  OP_CLASS,
  OP_MATCH,
  OP_SPLIT,
  type GoRegexProgram,
} from "./go-regex-program";

// Scratch space shared by every program: matching is synchronous and never re-entrant, so one
// set of buffers, grown to the largest program seen, avoids allocating on every test.
let visited = new Uint32Array(64);
let visitMark = 0;
let runnable = new Int32Array(64);
let pending = new Int32Array(64);
let stack = new Int32Array(64);

function ensureCapacity(size: number): void {
  if (visited.length >= size) return;
  const capacity = Math.max(size, visited.length * 2);
  visited = new Uint32Array(capacity);
  visitMark = 0;
  runnable = new Int32Array(capacity);
  pending = new Int32Array(capacity);
  stack = new Int32Array(capacity);
}

/** ASCII word characters, the only ones `\b` knows in Go. */
function isWordCharacter(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f
  );
}

function assertionHolds(assertion: number, position: number, length: number, previous: number, current: number): boolean {
  switch (assertion) {
    case 0: // beginText
      return position === 0;
    case 1: // endText
      return position === length;
    case 2: // beginLine: only "\n" ends a line in Go, not "\r"
      return position === 0 || previous === 0x0a;
    case 3: // endLine
      return position === length || current === 0x0a;
    case 4: // wordBoundary
      return isWordCharacter(previous) !== isWordCharacter(current);
    default: // noWordBoundary
      return isWordCharacter(previous) === isWordCharacter(current);
  }
}

/**
 * Whether `program` matches anywhere in `text` (an unanchored search, as Go's `MatchString`),
 * by simulating the NFA over the text's code points: O(text length × program size), whatever
 * the pattern.
 *
 * @example
 * matchesGoRegexProgram(program, "alice@example.com");
 */
export function matchesGoRegexProgram(program: GoRegexProgram, text: string): boolean {
  const { opcodes, first, second, classes, start, anchoredStart } = program;
  ensureCapacity(opcodes.length);
  const length = text.length;
  const firstCharacter = program.firstCodePoint < 0 ? "" : String.fromCodePoint(program.firstCodePoint);
  let pendingCount = 0;
  let position = 0;
  for (;;) {
    if (pendingCount === 0 && firstCharacter !== "" && !anchoredStart) {
      // No thread alive: only a new thread can match, and only where its first character is.
      position = text.indexOf(firstCharacter, position);
      if (position < 0) return false;
    }
    // 1. Follow splits and assertions from the threads alive at `position` (and a new thread
    //    starting here), collecting the instructions that consume a character.
    if (visitMark >= 0xfffffff0) {
      visited.fill(0);
      visitMark = 0;
    }
    const mark = ++visitMark;
    const previous = position > 0 ? text.charCodeAt(position - 1) : -1;
    const current = position < length ? text.charCodeAt(position) : -1;
    let stackSize = 0;
    for (let index = 0; index < pendingCount; index++) {
      const pc = pending[index];
      if (visited[pc] !== mark) {
        visited[pc] = mark;
        stack[stackSize++] = pc;
      }
    }
    if ((position === 0 || !anchoredStart) && visited[start] !== mark) {
      visited[start] = mark;
      stack[stackSize++] = start;
    }
    let runnableCount = 0;
    while (stackSize > 0) {
      const pc = stack[--stackSize];
      switch (opcodes[pc]) {
        case OP_MATCH:
          return true;
        case OP_SPLIT: {
          const a = first[pc];
          const b = second[pc];
          if (visited[b] !== mark) {
            visited[b] = mark;
            stack[stackSize++] = b;
          }
          if (visited[a] !== mark) {
            visited[a] = mark;
            stack[stackSize++] = a;
          }
          break;
        }
        case OP_ASSERT: {
          const next = second[pc];
          if (visited[next] !== mark && assertionHolds(first[pc], position, length, previous, current)) {
            visited[next] = mark;
            stack[stackSize++] = next;
          }
          break;
        }
        default:
          runnable[runnableCount++] = pc;
      }
    }
    if (position >= length || (runnableCount === 0 && anchoredStart)) return false;

    // 2. Let each of those consume the code point at `position`.
    const codePoint = text.codePointAt(position) as number;
    pendingCount = 0;
    for (let index = 0; index < runnableCount; index++) {
      const pc = runnable[index];
      let accepted: boolean;
      switch (opcodes[pc]) {
        case OP_CHAR:
          accepted = first[pc] === codePoint;
          break;
        case OP_CLASS:
          accepted = classes[first[pc]].matches(codePoint, text, position);
          break;
        case OP_ANY:
          accepted = true;
          break;
        case OP_ANY_NOT_NEWLINE:
          accepted = codePoint !== 0x0a;
          break;
        default:
          accepted = false;
      }
      if (accepted) pending[pendingCount++] = second[pc];
    }
    position += codePoint > 0xffff ? 2 : 1;
  }
}

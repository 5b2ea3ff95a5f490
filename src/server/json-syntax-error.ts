/**
 * Where a text stops being JSON, in words, without quoting it: V8's `JSON.parse` messages
 * quote the start of the text, which for a misnamed path could be a secret file's first line.
 *
 * @param error what `JSON.parse(text)` threw.
 * @example
 * describeJsonSyntaxError('{"flags": [] "x"}', error); // "at line 1, column 14"
 * describeJsonSyntaxError('{"flags": [', error);       // "it ends before the JSON is complete"
 */
export function describeJsonSyntaxError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  const position = /at position (\d+)/.exec(message);
  const offset = message.startsWith("Unexpected end") ? text.length : position ? Number(position[1]) : firstInvalidOffset(text);
  if (offset >= text.length) return "it ends before the JSON is complete";
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf("\n"); index !== -1 && index < offset; index = text.indexOf("\n", index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return `at line ${line}, column ${offset - lineStart + 1}`;
}

/** Whether `prefix` could still begin a JSON text: it parses, or fails only at its end. */
function isViablePrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    const position = /at position (\d+)/.exec(message);
    return message.startsWith("Unexpected end") || (position !== null && Number(position[1]) >= prefix.length);
  }
}

/**
 * The offset of the first character that no JSON text can continue with. V8 gives no position
 * for an unexpected token, so this searches for the shortest prefix that is not viable (a
 * prefix of a viable prefix is viable): O(n log n), and only on the error path.
 */
function firstInvalidOffset(text: string): number {
  let viable = 0;
  let invalid = text.length;
  while (invalid - viable > 1) {
    const middle = Math.floor((viable + invalid) / 2);
    if (isViablePrefix(text.slice(0, middle))) viable = middle;
    else invalid = middle;
  }
  return invalid - 1;
}

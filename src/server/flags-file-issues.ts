import type * as z from "zod/mini";
import type { PayloadIssue } from "../errors";

/** How much of a key, id or string from the input a message quotes. */
const EXCERPT_LENGTH = 40;

/** `text`, cut to `EXCERPT_LENGTH` characters with an ellipsis: messages quote the input only briefly. */
export function excerpt(text: string): string {
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
}

/** Renders `["flags", 2, "rules", 0, "rolloutPercentage"]` as `flags[2].rules[0].rolloutPercentage`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else if (typeof part === "string" && part.length <= EXCERPT_LENGTH && /^[A-Za-z_$][\w$]*$/.test(part)) text += text ? `.${part}` : part;
    else text += `[${JSON.stringify(excerpt(String(part)))}]`;
  }
  return text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(excerpt(value))}`;
  if (typeof value === "object") return "an object";
  return `the ${typeof value} ${String(value)}`;
}

const EXPECTED_NAMES: Readonly<Record<string, string>> = {
  object: "an object",
  record: "an object",
  array: "an array",
  string: "a string",
  number: "a number",
  boolean: "a boolean",
};

/**
 * zod's issues as the flags file's own messages: a JSON path, what was expected and, briefly,
 * what was found ("expected a number from 0 to 100, got the number 120").
 */
export function toIssues(error: z.core.$ZodError, input: unknown): PayloadIssue[] {
  const issues: PayloadIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path;
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        issues.push({ path: formatPath([...path, key]), message: "unknown field (check its spelling against PROTOCOL.md §3.1)" });
      }
      continue;
    }
    // Messages this file sets start with "expected" or name a duplicate; zod's own defaults
    // ("Invalid input: …") are rewritten in the same voice.
    let message = issue.message;
    if (!/^(expected|duplicate|unknown)/.test(message)) {
      if (issue.code === "invalid_type") message = `expected ${EXPECTED_NAMES[issue.expected] ?? issue.expected}`;
      else if (issue.code === "invalid_union") message = "expected a JSON value";
      else message = message.toLowerCase();
    }
    if (issue.code !== "custom") {
      const received = valueAt(input, issue.path);
      message = received === undefined ? `${message} (it is required)` : `${message}, got ${describeValue(received)}`;
    }
    issues.push({ path: formatPath(path), message });
  }
  return issues;
}


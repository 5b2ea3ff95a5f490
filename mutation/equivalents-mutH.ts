import type { EquivalentMutant } from "./equivalents";

/** The equivalent mutants of mutH's file (issue 25; see mutation/equivalents.ts for the format). */

const GO_PARSE_FLOAT = "src/evaluation/go-parse-float.ts";

export const MUTH_EQUIVALENTS: readonly EquivalentMutant[] = [
  {
    file: GO_PARSE_FLOAT,
    mutator: "EqualityOperator",
    replacement: "index <= length",
    line: "for (; index < length; index++) {",
    reason: "(the mantissa and exponent loops) one step past the end, charCodeAt is NaN, which is no digit, '_' or '.', so the loop breaks there anyway",
  },
  {
    file: GO_PARSE_FLOAT,
    mutator: "BooleanLiteral",
    replacement: "true",
    line: "let underscores = false;",
    reason: "the flag only skips work: underscoresAllowed of a text without '_' is true, and removing no '_' leaves the mantissa as it is",
  },
];

/**
 * The syntax tree of a Go (RE2) regular expression, as parsed by `parseGoRegex`. It keeps only
 * what matters for a yes/no match: captures, greediness and names are gone.
 */
export type GoRegexNode =
  /** One character; with `foldCase`, any character in the same simple case-folding orbit. */
  | { readonly op: "literal"; readonly codePoint: number; readonly foldCase: boolean; readonly height: 1 }
  /**
   * A character class. `source` is the content of an equivalent JavaScript `v`-mode class
   * (`\u{61}-\u{7a}\p{L}[^\u{30}-\u{39}]`), so that Unicode properties and case folding follow
   * the same rules as Go's tables (fold, then negate).
   */
  | {
      readonly op: "class";
      readonly source: string;
      readonly negated: boolean;
      readonly foldCase: boolean;
      readonly height: 1;
    }
  /** `.` with `(?s)`: any character. */
  | { readonly op: "anyChar"; readonly height: 1 }
  /** `.`: any character but `\n`. */
  | { readonly op: "anyCharNotNewline"; readonly height: 1 }
  | { readonly op: GoRegexAssertion; readonly height: 1 }
  /** Matches the empty string (an empty group or alternative). */
  | { readonly op: "empty"; readonly height: 1 }
  | { readonly op: "capture"; readonly sub: GoRegexNode; readonly height: number }
  | { readonly op: "concat" | "alternate"; readonly subs: readonly GoRegexNode[]; readonly height: number }
  /**
   * `sub` repeated `min` to `max` times (`max` −1: no upper bound). `counted` marks the `{n,m}`
   * form, the only one Go limits to 1000 copies (`*`, `+` and `?` are not counted).
   */
  | {
      readonly op: "repeat";
      readonly sub: GoRegexNode;
      readonly min: number;
      readonly max: number;
      readonly counted: boolean;
      readonly height: number;
    };

/**
 * Zero-width assertions: `^`/`$` without `(?m)` (or `\A`/`\z`) are the text's start and end; with
 * `(?m)` they are line starts and ends (around `\n` only); `\b`/`\B` use ASCII word characters.
 */
export type GoRegexAssertion = "beginText" | "endText" | "beginLine" | "endLine" | "wordBoundary" | "noWordBoundary";

/**
 * Tests one character against a compiled character class. ASCII answers come from a table
 * filled once; other characters ask a sticky JavaScript `v`-mode RegExp at the character's
 * position, which knows the Unicode properties and case folding.
 */
export class CharClassMatcher {
  private readonly ascii = new Uint8Array(128);
  private readonly sticky: RegExp;

  /**
   * @param source `v`-mode class content, as produced by the Go regex parser.
   * @param negated Whether the class is `[^…]`.
   * @param foldCase Whether it matches case-insensitively (simple case folding, as Go's `(?i)`).
   * @throws SyntaxError if this Node.js does not know a Unicode property used in `source`.
   */
  constructor(source: string, negated: boolean, foldCase: boolean) {
    this.sticky = new RegExp(`[${negated ? "^" : ""}${source}]`, foldCase ? "ivy" : "vy");
    for (let code = 0; code < 128; code++) {
      this.sticky.lastIndex = 0;
      this.ascii[code] = this.sticky.test(String.fromCharCode(code)) ? 1 : 0;
    }
  }

  /** Whether `codePoint`, found at UTF-16 index `index` of `text`, is in the class. */
  matches(codePoint: number, text: string, index: number): boolean {
    if (codePoint < 128) return this.ascii[codePoint] === 1;
    this.sticky.lastIndex = index;
    return this.sticky.test(text);
  }
}

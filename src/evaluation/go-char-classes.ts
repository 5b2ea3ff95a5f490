/**
 * Go's named character classes (regexp/syntax `perl_groups.go` and the `unicode` tables), as
 * pieces of a JavaScript `v`-mode character class. Negated forms are nested classes `[^…]`, which
 * `v` mode complements after case folding, as Go does.
 */

/** A code point range as `v`-mode class content. */
export function classRange(low: number, high: number): string {
  const lowText = `\\u{${low.toString(16)}}`;
  return low === high ? lowText : `${lowText}-\\u{${high.toString(16)}}`;
}

function ranges(...bounds: number[]): string {
  let source = "";
  for (let index = 0; index < bounds.length; index += 2) {
    source += classRange(bounds[index], bounds[index + 1]);
  }
  return source;
}

const DIGIT = ranges(0x30, 0x39);
const SPACE = ranges(0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20);
const WORD = ranges(0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a);

/** `\d \D \s \S \w \W`: ASCII only in Go, and `\s` has no `\v`. Keyed by the escaped letter. */
export const PERL_CLASSES: ReadonlyMap<string, string> = new Map([
  ["d", DIGIT],
  ["D", `[^${DIGIT}]`],
  ["s", SPACE],
  ["S", `[^${SPACE}]`],
  ["w", WORD],
  ["W", `[^${WORD}]`],
]);

const POSIX_POSITIVE: ReadonlyArray<readonly [string, string]> = [
  ["alnum", ranges(0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a)],
  ["alpha", ranges(0x41, 0x5a, 0x61, 0x7a)],
  ["ascii", ranges(0x00, 0x7f)],
  ["blank", ranges(0x09, 0x09, 0x20, 0x20)],
  ["cntrl", ranges(0x00, 0x1f, 0x7f, 0x7f)],
  ["digit", DIGIT],
  ["graph", ranges(0x21, 0x7e)],
  ["lower", ranges(0x61, 0x7a)],
  ["print", ranges(0x20, 0x7e)],
  ["punct", ranges(0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e)],
  ["space", ranges(0x09, 0x0d, 0x20, 0x20)],
  ["upper", ranges(0x41, 0x5a)],
  ["word", WORD],
  ["xdigit", ranges(0x30, 0x39, 0x41, 0x46, 0x61, 0x66)],
];

/** `[:alpha:]`, `[:^alpha:]` and the rest, valid only inside a bracketed class. Keyed by the full name. */
export const POSIX_CLASSES: ReadonlyMap<string, string> = new Map(
  POSIX_POSITIVE.flatMap(([name, source]) => [
    [`[:${name}:]`, source],
    [`[:^${name}:]`, `[^${source}]`],
  ]),
);

/** Go's `unicode.Categories` (Go 1.24 and earlier accept exactly these names, case-sensitively). */
const GO_CATEGORIES = new Set(
  "L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs Cc Cf Co Cs".split(" "),
);

/** Go's `unicode.Scripts` (Unicode 15.0, Go 1.21 and later). */
const GO_SCRIPTS = new Set(
  (
    "Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali Bhaiksuki " +
    "Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham Cherokee " +
    "Chorasmian Common Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan " +
    "Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi " +
    "Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic Inherited " +
    "Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kawi Kayah_Li Kharoshthi " +
    "Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian " +
    "Mahajani Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui " +
    "Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean Nag_Mundari " +
    "Nandinagari New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian Old_Italic " +
    "Old_North_Arabian Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage " +
    "Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan " +
    "Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Syloti_Nagri " +
    "Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangsa Tangut Telugu Thaana Thai Tibetan " +
    "Tifinagh Tirhuta Toto Ugaritic Vai Vithkuqi Wancho Warang_Citi Yezidi Yi Zanabazar_Square"
  ).split(" "),
);

/**
 * The class content for `\p{name}`, or `undefined` for a name Go does not know (Go then rejects
 * the whole pattern). Go's `C` is `Cc Cf Co Cs` (no unassigned code points, unlike JavaScript's
 * `\p{C}`), and `Any` is every code point.
 */
export function unicodeClass(name: string): string | undefined {
  if (name === "Any") return classRange(0, 0x10ffff);
  if (name === "C") return "\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}";
  if (GO_CATEGORIES.has(name)) return `\\p{${name}}`;
  if (GO_SCRIPTS.has(name)) return `\\p{Script=${name}}`;
  return undefined;
}

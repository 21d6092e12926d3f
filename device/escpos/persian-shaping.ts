// Persian text to the glyph order a printer draws, left to right: contextual shaping (each
// Arabic-script letter becomes its isolated, final, initial or medial presentation form from
// Unicode's Arabic Presentation Forms blocks, lam + alef becomes one ligature) and right-to-left
// ordering with left-to-right islands (Latin words, numbers, payment ids and masked card numbers
// keep their own order inside the right-to-left line). Pure and table-tested; the glyphs are then
// drawn by a rasteriser from a font that maps the presentation forms (Vazirmatn does).
//
// The ordering is a deliberate subset of the Unicode bidirectional algorithm, enough for one
// receipt line in a right-to-left paragraph: Latin letters and digits (with the neutrals between
// two of them) form left-to-right runs, everything else is right to left; brackets mirror in
// right-to-left runs. No embeddings, no explicit marks. Diacritics (harakat) are dropped: the
// receipt's words do not use them and a 24-dot line cannot show them legibly.

/** isolated, final, initial, medial; a right-joining letter has only the first two. */
type Forms = readonly [number, number, number?, number?];

const forms = new Map<number, Forms>([
  [0x0621, [0xfe80, 0xfe80]],
  [0x0622, [0xfe81, 0xfe82]], [0x0623, [0xfe83, 0xfe84]], [0x0624, [0xfe85, 0xfe86]], [0x0625, [0xfe87, 0xfe88]],
  [0x0626, [0xfe89, 0xfe8a, 0xfe8b, 0xfe8c]], [0x0627, [0xfe8d, 0xfe8e]], [0x0628, [0xfe8f, 0xfe90, 0xfe91, 0xfe92]],
  [0x0629, [0xfe93, 0xfe94]], [0x062a, [0xfe95, 0xfe96, 0xfe97, 0xfe98]], [0x062b, [0xfe99, 0xfe9a, 0xfe9b, 0xfe9c]],
  [0x062c, [0xfe9d, 0xfe9e, 0xfe9f, 0xfea0]], [0x062d, [0xfea1, 0xfea2, 0xfea3, 0xfea4]], [0x062e, [0xfea5, 0xfea6, 0xfea7, 0xfea8]],
  [0x062f, [0xfea9, 0xfeaa]], [0x0630, [0xfeab, 0xfeac]], [0x0631, [0xfead, 0xfeae]], [0x0632, [0xfeaf, 0xfeb0]],
  [0x0633, [0xfeb1, 0xfeb2, 0xfeb3, 0xfeb4]], [0x0634, [0xfeb5, 0xfeb6, 0xfeb7, 0xfeb8]], [0x0635, [0xfeb9, 0xfeba, 0xfebb, 0xfebc]],
  [0x0636, [0xfebd, 0xfebe, 0xfebf, 0xfec0]], [0x0637, [0xfec1, 0xfec2, 0xfec3, 0xfec4]], [0x0638, [0xfec5, 0xfec6, 0xfec7, 0xfec8]],
  [0x0639, [0xfec9, 0xfeca, 0xfecb, 0xfecc]], [0x063a, [0xfecd, 0xfece, 0xfecf, 0xfed0]], [0x0641, [0xfed1, 0xfed2, 0xfed3, 0xfed4]],
  [0x0642, [0xfed5, 0xfed6, 0xfed7, 0xfed8]], [0x0643, [0xfed9, 0xfeda, 0xfedb, 0xfedc]], [0x0644, [0xfedd, 0xfede, 0xfedf, 0xfee0]],
  [0x0645, [0xfee1, 0xfee2, 0xfee3, 0xfee4]], [0x0646, [0xfee5, 0xfee6, 0xfee7, 0xfee8]], [0x0647, [0xfee9, 0xfeea, 0xfeeb, 0xfeec]],
  [0x0648, [0xfeed, 0xfeee]], [0x0649, [0xfeef, 0xfef0]], [0x064a, [0xfef1, 0xfef2, 0xfef3, 0xfef4]],
  // The letters Persian adds to Arabic's alphabet.
  [0x067e, [0xfb56, 0xfb57, 0xfb58, 0xfb59]], [0x0686, [0xfb7a, 0xfb7b, 0xfb7c, 0xfb7d]], [0x0698, [0xfb8a, 0xfb8b]],
  [0x06a9, [0xfb8e, 0xfb8f, 0xfb90, 0xfb91]], [0x06af, [0xfb92, 0xfb93, 0xfb94, 0xfb95]], [0x06cc, [0xfbfc, 0xfbfd, 0xfbfe, 0xfbff]],
]);

/** lam followed by these alefs is one ligature: isolated and final forms. */
const lamAlef = new Map<number, readonly [number, number]>([
  [0x0622, [0xfef5, 0xfef6]], [0x0623, [0xfef7, 0xfef8]], [0x0625, [0xfef9, 0xfefa]], [0x0627, [0xfefb, 0xfefc]],
]);

const lam = 0x0644;
const zeroWidthNonJoiner = 0x200c;
const isDiacritic = (codePoint: number): boolean => (codePoint >= 0x064b && codePoint <= 0x065f) || codePoint === 0x0670;
const joinsBothWays = (codePoint: number | undefined): boolean => codePoint !== undefined && (forms.get(codePoint)?.length ?? 0) === 4;
const joinsBack = (codePoint: number | undefined): boolean => codePoint !== undefined && forms.has(codePoint) && codePoint !== 0x0621;

/** Replaces each letter by its contextual presentation form, in logical order; drops diacritics. */
export function shapeArabicScript(text: string): string {
  const codePoints = Array.from(text.normalize('NFC'), (character) => character.codePointAt(0)!).filter((codePoint) => !isDiacritic(codePoint));
  const out: number[] = [];
  for (let index = 0; index < codePoints.length; index += 1) {
    const current = codePoints[index]!;
    if (current === zeroWidthNonJoiner) continue;
    const previous = codePoints[index - 1];
    const joinedFromBefore = joinsBothWays(previous) && joinsBack(current);
    const next = codePoints[index + 1];
    const ligature = current === lam && next !== undefined ? lamAlef.get(next) : undefined;
    if (ligature) {
      out.push(joinedFromBefore ? ligature[1] : ligature[0]);
      index += 1;
      continue;
    }
    const letterForms = forms.get(current);
    if (!letterForms) {
      out.push(current);
      continue;
    }
    const joinsForward = joinsBothWays(current) && joinsBack(next);
    const form = joinedFromBefore ? (joinsForward ? letterForms[3] : letterForms[1]) : (joinsForward ? letterForms[2] : letterForms[0]);
    out.push(form ?? letterForms[0]);
  }
  return String.fromCodePoint(...out);
}

const isDigit = (character: string): boolean => /[0-9\u0660-\u0669\u06f0-\u06f9]/u.test(character);
const isLatin = (character: string): boolean => /[A-Za-z\u00c0-\u024f]/u.test(character);
const mirrored: Readonly<Record<string, string>> = { '(': ')', ')': '(', '[': ']', ']': '[', '<': '>', '>': '<', '«': '»', '»': '«' };

/**
 * One right-to-left line in display order, left to right: shaped, its runs reversed, each
 * right-to-left run reversed within itself, left-to-right runs (Latin, digits, ids) kept.
 */
export function visualOrderRtl(text: string): string {
  const characters = Array.from(shapeArabicScript(text));
  // Text with nothing right to left (an id, a masked card, a time zone) is one isolated
  // left-to-right island, as an LRI…PDI isolate would make it: leading '*' stay leading.
  if (!characters.some(isStrongRtl)) return characters.join('');
  const strongLtr = characters.map((character) => isDigit(character) || isLatin(character));
  // A neutral (space, '*', '.', ':') is left to right only between two left-to-right characters.
  const ltr = strongLtr.map((strong, index) => {
    if (strong) return true;
    let before = index - 1;
    while (before >= 0 && !strongLtr[before] && !isStrongRtl(characters[before]!)) before -= 1;
    let after = index + 1;
    while (after < characters.length && !strongLtr[after] && !isStrongRtl(characters[after]!)) after += 1;
    return before >= 0 && after < characters.length && strongLtr[before]! && strongLtr[after]!;
  });
  const runs: Array<{ ltr: boolean; characters: string[] }> = [];
  characters.forEach((character, index) => {
    const last = runs.at(-1);
    if (last && last.ltr === ltr[index]) last.characters.push(character);
    else runs.push({ ltr: ltr[index]!, characters: [character] });
  });
  return runs
    .reverse()
    .map((run) => (run.ltr ? run.characters.join('') : run.characters.reverse().map((character) => mirrored[character] ?? character).join('')))
    .join('');
}

function isStrongRtl(character: string): boolean {
  const codePoint = character.codePointAt(0)!;
  // The Arabic decimal and thousands separators are neutral, so they stay inside a number.
  if (codePoint === 0x066b || codePoint === 0x066c) return false;
  return (codePoint >= 0x0600 && codePoint <= 0x06ff && !isDigit(character)) || (codePoint >= 0xfb50 && codePoint <= 0xfeff);
}

/** ASCII digits to Extended Arabic-Indic (Persian) digits, for amounts and dates on a Persian receipt. */
export function toPersianDigits(text: string): string {
  return text.replace(/[0-9]/g, (digit) => String.fromCodePoint(0x06f0 + Number(digit)));
}

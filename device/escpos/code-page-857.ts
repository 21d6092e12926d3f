// Text to bytes in code page 857 (IBM PC857, "Turkish"), the table Epson-compatible printers
// select with ESC t 13. It holds every Turkish letter (ğĞıİşŞçÇöÖüÜ) alongside the Western
// European ones, so one table serves Turkish and English receipts. Text that the table cannot
// show becomes '?', one per character, and is reported rather than thrown: a customer's name must
// never stop a receipt.

/** The ESC t table number of PC857 in Epson's ESC/POS reference (0 is PC437, 13 PC857, 19 PC858). */
export const pc857CodeTable = 13;

/**
 * Bytes 0x80–0xFF of IBM code page 857, one character per byte; '\uFFFF' marks the three
 * positions the code page leaves undefined (0xD5, 0xE7, 0xF2). Checked against the cp857 codec of
 * Python's standard library. There is no euro or Turkish lira sign, so amounts print with ISO
 * codes (TRY, EUR).
 */
const upperHalf = [
  'ÇüéâäàåçêëèïîıÄÅ', // 0x80–0x8F
  'ÉæÆôöòûùİÖÜø£ØŞş', // 0x90–0x9F
  'áíóúñÑĞğ¿®¬½¼¡«»', // 0xA0–0xAF
  '░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐', // 0xB0–0xBF
  '└┴┬├─┼ãÃ╚╔╩╦╠═╬¤', // 0xC0–0xCF
  'ºªÊËÈ\uFFFFÍÎÏ┘┌█▄¦Ì▀', // 0xD0–0xDF
  'ÓßÔÒõÕµ\uFFFF×ÚÛÙìÿ¯´', // 0xE0–0xEF
  '\u00AD±\uFFFF¾¶§÷¸°¨·¹³²■\u00A0', // 0xF0–0xFF
].join('');

const unmappedByte = 0x3f; // '?'

/** Code point → byte for every character this codec prints. */
const pc857ByCodePoint: ReadonlyMap<number, number> = (() => {
  const map = new Map<number, number>();
  // Printable ASCII only: control bytes in user text would be read by the printer as commands,
  // so a name containing ESC or GS must not reach it as such.
  for (let byte = 0x20; byte <= 0x7e; byte += 1) map.set(byte, byte);
  for (let index = 0; index < upperHalf.length; index += 1) {
    const codePoint = upperHalf.codePointAt(index)!;
    if (codePoint !== 0xffff) map.set(codePoint, 0x80 + index);
  }
  return map;
})();

export interface EncodedText {
  bytes: Uint8Array;
  /** How many characters became '?'. */
  unmappable: number;
  /** The distinct characters that became '?', in the order first met, for the caller to log or show. */
  unmappableCharacters: string[];
}

/**
 * Encodes text for PC857, one byte per character after NFC normalisation. Normalising first
 * turns a decomposed "s" + combining cedilla, as some keyboards and databases produce, into the
 * single "ş" the table holds. Every byte out is printable: 0x20–0x7E or 0x80–0xFF.
 */
export function encodePc857Text(text: string): EncodedText {
  const characters = Array.from(String(text).normalize('NFC'));
  const bytes = new Uint8Array(characters.length);
  const unmappableCharacters = new Set<string>();
  let unmappable = 0;
  characters.forEach((character, index) => {
    const byte = pc857ByCodePoint.get(character.codePointAt(0)!);
    if (byte === undefined) {
      bytes[index] = unmappedByte;
      unmappable += 1;
      unmappableCharacters.add(character);
    } else {
      bytes[index] = byte;
    }
  });
  return { bytes, unmappable, unmappableCharacters: [...unmappableCharacters] };
}

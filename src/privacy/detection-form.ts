/**
 * The form text is checked in: the many ways people write (or paste) a number become one.
 * - NFKC (full-width digits, ligatures, compatibility spaces);
 * - every Unicode dash, hyphen and minus sign becomes `-`;
 * - every Unicode decimal digit becomes its ASCII digit (Arabic-Indic, Devanagari, …);
 * - format characters (zero-width space and joiners, soft hyphen, byte-order mark) are removed;
 * - runs of white space become one space, and white space around `-` and `+` is removed.
 * Only used to look for numbers; the text itself is never changed or stored in this form.
 */
export function detectionForm(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(/[\p{Pd}\u2212\u2043\uFE63\uFF0D\u02D7\u2796]/gu, '-')
    .replace(/\p{Nd}/gu, asciiDigit)
    .replace(/\s+/gu, ' ')
    .replace(/ ?([-+]) ?/g, '$1');
}

/** The first code point of every run of ten Unicode decimal digits (0–9 in order). */
const digitZeros: readonly number[] = (() => {
  const zeros: number[] = [];
  const isDigit = /^\p{Nd}$/u;
  for (let code = 0; code <= 0x1ffff; code++) {
    if (!isDigit.test(String.fromCodePoint(code))) continue;
    const last = zeros[zeros.length - 1];
    if (last === undefined || code - last >= 10) zeros.push(code);
  }
  return zeros;
})();

function asciiDigit(char: string): string {
  const code = char.codePointAt(0)!;
  if (code < 0x80) return char;
  let zero = digitZeros[0]!;
  for (const candidate of digitZeros) {
    if (candidate > code) break;
    zero = candidate;
  }
  return String(code - zero);
}

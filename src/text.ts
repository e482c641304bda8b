/** Text as the bot compares it: NFC, trimmed, single spaces. */
export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** Lower case without diacritics, for forgiving look-ups: `Strängnäs` → `strangnas`. */
export function foldForLookup(text: string): string {
  return normaliseText(text)
    .toLocaleLowerCase('sv-SE')
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .normalize('NFC');
}

/** A readable, key-safe identifier: `Strängnäs kommun` → `strangnas-kommun`. */
export function slugify(text: string): string {
  return foldForLookup(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `a`, `a och b`, `a, b och c`. */
export function joinSwedish(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} och ${words[words.length - 1]}`;
}

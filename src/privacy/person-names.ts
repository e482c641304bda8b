import { COMMON_FIRST_NAMES } from './first-names.js';

const firstNames = new Set(COMMON_FIRST_NAMES.map((name) => name.normalize('NFC')));

/** A capitalised word (or two joined by a hyphen), then white space, then another capitalised word. */
const nameThenWord =
  /(?<![\p{L}\p{N}])(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)[ \t\u00A0]+(?=\p{Lu}\p{Ll})/gu;

/**
 * True when the text holds what reads as a person's name: a common Swedish first name
 * (capitalised) followed by another capitalised word, e.g. "Anna Lindqvist". Used on case and
 * participant text, where people are referred to by their codes; agenda text may name the
 * people who present items.
 */
export function containsPersonName(text: string): boolean {
  for (const match of text.normalize('NFC').matchAll(nameThenWord)) {
    const word = match[1]!;
    if (firstNames.has(word) || firstNames.has(word.split('-')[0]!)) return true;
  }
  return false;
}

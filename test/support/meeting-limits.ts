import { newId } from '../../src/ids.js';
import { LIMITS } from '../../src/meetings/meetings.schema.js';
import { CARD_BUDGET_BYTES } from '../../src/meetings/cards/card-budget.js';

/** Swedish letters, an emoji, both kinds of quotes and a line break, over and over. */
const MIX = 'Åsa på ÖÄ-möte – räkna med 😀 "citat" och ”svenska” citat\nny rad ';

/**
 * Text of exactly `length` UTF-16 units (the unit the limits count), starting with `seed` so
 * each is different: never ending in whitespace (which would be trimmed) or half an emoji.
 */
export function maxText(length: number, seed: string): string {
  let text = `${seed} `;
  while (text.length < length) text += MIX;
  let cut = text.slice(0, length);
  if (/[\uD800-\uDBFF\s]$/.test(cut)) cut = `${cut.slice(0, -1)}x`;
  return cut;
}

/** An agenda item filled to the form's limits. */
export const fullItem = (ref: { meetingId: string; date: string }, n: number) => ({
  ...ref,
  requestId: newId(),
  title: maxText(LIMITS.itemTitle, `Punkt ${n}`),
  description: maxText(LIMITS.itemDescription, `Beskrivning ${n}`),
  category: 'forBeslut',
  presenter: maxText(LIMITS.presenter, `Föredragande ${n}`),
  minutes: '240',
});

export const cardBytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), 'utf8');
export { CARD_BUDGET_BYTES };

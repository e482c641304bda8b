import { CARD_BUDGET_BYTES, serializedBytes } from '../../bot/card-budget.js';
import { renderCard, type CardJson, type CardName } from '../../bot/card-renderer.js';

/** The bot's budget for one card (40 KB of UTF-8 JSON), the same for every capability. */
export { CARD_BUDGET_BYTES };

export const cardBytes = (card: CardJson) => serializedBytes(card);

/**
 * Text cut to at most `max` UTF-16 units (the unit Azure's and our limits count), ending with an
 * ellipsis when it was longer; an emoji is never split.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const char of text) {
    if (kept.length + char.length > max - 1) break;
    kept += char;
  }
  return `${kept.trimEnd()}…`;
}

/**
 * Renders a paged card within the budget, measured on the real rendered JSON: `view(pageSize)`
 * builds the view-model for a page size; the size is halved until the card fits. A card that
 * does not fit even with one entry per page is never sent half-built: `fallback` is rendered.
 */
export function renderWithinBudget(
  name: CardName,
  view: (pageSize: number) => object,
  pageSize: number,
  fallback: () => CardJson,
): CardJson {
  for (let size = pageSize; size >= 1; size = Math.floor(size / 2)) {
    const card = renderCard(name, view(size));
    if (cardBytes(card) <= CARD_BUDGET_BYTES) return card;
  }
  return fallback();
}

/**
 * A window of a list starting at entry `start` (0-based), and the starts of the windows before
 * and after it (-1 when there is none), so the buttons keep working whatever size fitted.
 */
export function pageOf<T>(list: readonly T[], start: number, size: number) {
  const from = Math.min(Math.max(0, Math.floor(start)), Math.max(0, list.length - 1));
  const shown = list.slice(from, from + size);
  return {
    shown,
    start: from,
    prevStart: from > 0 ? Math.max(0, from - size) : -1,
    nextStart: from + size < list.length ? from + size : -1,
    pageText:
      list.length > shown.length
        ? `Visar ${from + 1}–${from + shown.length} av ${list.length}.`
        : '',
  };
}

import { renderCard, type CardJson, type CardName } from '../../bot/card-renderer.js';

/**
 * The most a case card may weigh when sent (UTF-8 bytes of its JSON). Teams refuses messages
 * above about 100 KB; our budget is 40 KB, and cards are planned for well below it.
 */
export const CARD_BUDGET_BYTES = 28 * 1024;

export const cardBytes = (card: CardJson) => Buffer.byteLength(JSON.stringify(card), 'utf8');

/**
 * Renders a card with the largest page size that keeps it within the budget, checked on the
 * rendered payload; when even the smallest page does not fit, the short card of `fallback`.
 */
export function renderWithin(
  name: CardName,
  view: (pageSize: number) => object,
  pageSizes: readonly number[],
  fallback: () => CardJson,
): CardJson {
  for (const size of pageSizes) {
    const card = renderCard(name, view(size));
    if (cardBytes(card) <= CARD_BUDGET_BYTES) return card;
  }
  return fallback();
}

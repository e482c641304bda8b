/**
 * Numbers as a Swedish report writes them: decimal comma, a (non-breaking) space between
 * thousands, shares with exactly one decimal and a space before the per cent sign.
 */
const NBSP = '\u00a0';
const decimal = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1, useGrouping: true });
const oneDecimal = new Intl.NumberFormat('sv-SE', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  useGrouping: true,
});

/** Swedish Intl output uses U+2212 for minus; reports never show negatives, but keep ASCII safe. */
const plain = (text: string) => text.replace(/\u2212/g, '-').replace(/\u202f/g, NBSP);

/** A count or a planned number: `390`, `4,5`, `10 000`. */
export const formatNumber = (value: number) => plain(decimal.format(value));

/** A share in tenths of a per cent as text: `582` → `58,2 %`. */
export const formatShare = (tenths: number) => `${plain(oneDecimal.format(tenths / 10))}${NBSP}%`;

const oneDecimalUngrouped = new Intl.NumberFormat('sv-SE', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  useGrouping: false,
});

/** A share in tenths of a per cent as a CSV cell: `582` → `58,2` (no grouping). */
export const shareCell = (tenths: number) => plain(oneDecimalUngrouped.format(tenths / 10));

/**
 * A count's share of a total in tenths of a per cent, rounded half up with integers only (no
 * floating-point surprises at .x5): 71 of 122 → 582 (58,2 %). Zero when the total is zero.
 */
export function tenthsOf(count: number, total: number): number {
  if (total <= 0) return 0;
  return Math.floor((count * 2000 + total) / (2 * total));
}

/**
 * Whole-percent shares that add up to exactly 100 (largest remainder): each count gets its
 * rounded-down share, and the points left go to the largest remainders, ties to the earlier
 * entry. All zeros when the total is zero.
 */
export function percentShares(counts: readonly number[]): number[] {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((n) => (n * 100) / total);
  const shares = exact.map(Math.floor);
  let left = 100 - shares.reduce((sum, n) => sum + n, 0);
  const order = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left === 0) break;
    shares[index]! += 1;
    left--;
  }
  return shares;
}

/** A share of a total that is not part of a split (e.g. "30 år och äldre"), rounded half up. */
export const percentOf = (count: number, total: number) =>
  total === 0 ? 0 : Math.round((count * 100) / total);

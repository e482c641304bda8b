import type { ReportPeriod } from './lagesrapport.js';

/**
 * Reads a period as people write it: `2026-06-30`, `2026-06`, `2026h1`, `2026:1` (30 June) and
 * `2026-12-31`, `2026-12`, `2026h2`, `2026:2` (31 December).
 */
export function parsePeriod(word: string): ReportPeriod | undefined {
  const match = /^(\d{4})(?:-06(?:-30)?|[-:]?h?1|-12(?:-31)?|[-:]?h?2)$/i.exec(word.trim());
  if (!match) return undefined;
  const year = Number(match[1]);
  if (year < 2000 || year > 2100) return undefined;
  const rest = word.trim().slice(4);
  const half = /^(-06|[-:]?h?1$)/i.test(rest) ? 1 : 2;
  return { year, half };
}

export const periodKey = (period: ReportPeriod) =>
  `${period.year}-${period.half === 1 ? '06-30' : '12-31'}`;

export const periodLabel = (period: ReportPeriod) =>
  period.half === 1 ? `30 juni ${period.year}` : `31 december ${period.year}`;

import { isValidLocalDate, type LocalDate } from '../schedule/local-time.js';

/** The half-year a cut-off date falls in: 1 January–30 June or 1 July–31 December. */
export interface HalfYear {
  readonly start: LocalDate;
  readonly end: LocalDate;
}

export function halfYearOf(date: LocalDate): HalfYear {
  const year = date.slice(0, 4);
  return date.slice(5) <= '06-30'
    ? { start: `${year}-01-01`, end: `${year}-06-30` }
    : { start: `${year}-07-01`, end: `${year}-12-31` };
}

/** The half-year before the one `date` falls in. */
export function previousHalfYear(date: LocalDate): HalfYear {
  const { start } = halfYearOf(date);
  const year = Number(start.slice(0, 4));
  return start.endsWith('-07-01')
    ? { start: `${year}-01-01`, end: `${year}-06-30` }
    : { start: `${year - 1}-07-01`, end: `${year - 1}-12-31` };
}

export type CutOffWord =
  | { kind: 'date'; date: LocalDate }
  /** Looked like a date but is not one (e.g. 2025-13-01, 2025-6-31, 30/6). */
  | { kind: 'bad-date' }
  | { kind: 'none' };

const HALF_YEAR = /^(\d{4})(?:[-:]?h([12])|:([12]))$/i;
const MONTH_END = /^(\d{4})-(06|12)$/;
const DATE_LIKE =
  /^[\d]{1,4}[-./\u2010-\u2015\u2212][\d]{1,2}(?:[-./\u2010-\u2015\u2212][\d]{1,4})?$|^\d{8}$/;

/**
 * Reads a cut-off as people write it: any date `2026-03-15`, or a half-year end `2026h1`,
 * `2026:2`, `2026-06`, `2026-12`. Words that look like a date but are not one are told apart
 * from other words, so the reply can say how dates are written.
 */
export function parseCutOff(word: string): CutOffWord {
  const text = word.trim();
  const half = HALF_YEAR.exec(text);
  if (half) {
    const year = half[1]!;
    return { kind: 'date', date: (half[2] ?? half[3]) === '1' ? `${year}-06-30` : `${year}-12-31` };
  }
  const month = MONTH_END.exec(text);
  if (month)
    return { kind: 'date', date: month[2] === '06' ? `${month[1]}-06-30` : `${month[1]}-12-31` };
  if (isValidLocalDate(text)) {
    const year = Number(text.slice(0, 4));
    return year >= 2000 && year <= 2100 ? { kind: 'date', date: text } : { kind: 'bad-date' };
  }
  return DATE_LIKE.test(text) ? { kind: 'bad-date' } : { kind: 'none' };
}

const MONTHS = [
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
];

/** `2026-06-30` → `30 juni 2026`. */
export function dateLabel(date: LocalDate): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

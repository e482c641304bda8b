import { holidayName } from './holidays.js';
import { addDays, isoWeekday, type LocalDate } from './local-time.js';

/**
 * Why a date is not a working day: `lördag`, `söndag` or the röd dag's name (julafton,
 * midsommarafton and nyårsafton count as days off); undefined on a working day.
 */
export function dayOffReason(date: LocalDate): string | undefined {
  const holiday = holidayName(date);
  if (holiday) return holiday;
  const weekday = isoWeekday(date);
  if (weekday === 6) return 'lördag';
  if (weekday === 7) return 'söndag';
  return undefined;
}

/** The date itself when it is a working day, else the nearest working day before it. */
export function previousWorkday(date: LocalDate): LocalDate {
  let candidate = date;
  // Sweden never has more than a handful of days off in a row (jul–nyår is the longest).
  for (let i = 0; i < 14 && dayOffReason(candidate) !== undefined; i++) {
    candidate = addDays(candidate, -1);
  }
  return candidate;
}

import Holidays from 'date-holidays';
import type { LocalDate } from './local-time.js';
import { isoWeekday } from './local-time.js';

const sweden = new Holidays('SE');
const byYear = new Map<number, Map<LocalDate, string>>();

/**
 * Röda dagar and the eves that are days off in practice (julafton, midsommarafton, nyårsafton),
 * by date, with their Swedish names.
 */
function holidaysOf(year: number): Map<LocalDate, string> {
  let days = byYear.get(year);
  if (!days) {
    days = new Map();
    for (const holiday of sweden.getHolidays(year)) {
      if (holiday.type === 'public' || holiday.type === 'bank')
        days.set(holiday.date.slice(0, 10), holiday.name);
    }
    byYear.set(year, days);
  }
  return days;
}

/** The holiday's name when the date is a röd dag (or julafton, midsommarafton, nyårsafton). */
export function holidayName(date: LocalDate): string | undefined {
  return holidaysOf(Number(date.slice(0, 4))).get(date);
}

export function isWorkday(date: LocalDate): boolean {
  return isoWeekday(date) <= 5 && holidayName(date) === undefined;
}

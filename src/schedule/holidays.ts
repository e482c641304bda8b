import type { LocalDate } from './local-time.js';
import { addDays, isoWeekday } from './local-time.js';

const byYear = new Map<number, Map<LocalDate, string>>();
const pad = (value: number) => String(value).padStart(2, '0');
const dateOf = (year: number, month: number, day: number): LocalDate =>
  `${year}-${pad(month)}-${pad(day)}`;

/** Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm). */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dateOf(year, month, day);
}

/** The first date on or after `from` that falls on ISO weekday `weekday` (1 Monday … 7 Sunday). */
const weekdayFrom = (from: LocalDate, weekday: number): LocalDate =>
  addDays(from, (weekday - isoWeekday(from) + 7) % 7);

/**
 * Röda dagar and the eves that are days off in practice (julafton, midsommarafton, nyårsafton),
 * by date, with their Swedish names: the rules in force since 2005 (nationaldagen a holiday,
 * annandag pingst not).
 */
function holidaysOf(year: number): Map<LocalDate, string> {
  let days = byYear.get(year);
  if (!days) {
    const easter = easterSunday(year);
    // In calendar order; when two fall on one day (Kristi himmelsfärd on 1 May, pingstdagen on
    // 6 June), the day keeps the name of the one listed first.
    const named: [LocalDate, string][] = [
      [dateOf(year, 1, 1), 'nyårsdagen'],
      [dateOf(year, 1, 6), 'trettondedag jul'],
      [addDays(easter, -2), 'långfredagen'],
      [easter, 'påskdagen'],
      [addDays(easter, 1), 'annandag påsk'],
      [dateOf(year, 5, 1), 'första maj'],
      [addDays(easter, 39), 'Kristi himmelsfärdsdag'],
      [addDays(easter, 49), 'pingstdagen'],
      [dateOf(year, 6, 6), 'nationaldagen'],
      [weekdayFrom(dateOf(year, 6, 19), 5), 'midsommarafton'],
      [weekdayFrom(dateOf(year, 6, 20), 6), 'midsommardagen'],
      [weekdayFrom(dateOf(year, 10, 31), 6), 'alla helgons dag'],
      [dateOf(year, 12, 24), 'julafton'],
      [dateOf(year, 12, 25), 'juldagen'],
      [dateOf(year, 12, 26), 'annandag jul'],
      [dateOf(year, 12, 31), 'nyårsafton'],
    ];
    days = new Map();
    for (const [date, name] of named) if (!days.has(date)) days.set(date, name);
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

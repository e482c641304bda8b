import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { easterSunday, holidayName, isWorkday } from '../../src/schedule/holidays.js';
import { addDays } from '../../src/schedule/local-time.js';

/**
 * The Swedish holidays the bot plans around, computed by its own rules, day by day against the
 * date-holidays package (the calendar it used before) for every year from 2005 to 2100.
 */
describe('Swedish holidays', () => {
  it('when every day from 2005 through 2100 is checked, then each röd dag and day-off eve matches the reference calendar, name included', () => {
    const reference = new Holidays('SE');
    let compared = 0;
    for (let year = 2005; year <= 2100; year++) {
      const expected = new Map<string, string>();
      for (const holiday of reference.getHolidays(year)) {
        const date = holiday.date.slice(0, 10);
        if ((holiday.type === 'public' || holiday.type === 'bank') && !expected.has(date)) {
          expected.set(date, holiday.name);
        }
      }
      for (let day = `${year}-01-01`; day.startsWith(String(year)); day = addDays(day, 1)) {
        expect(holidayName(day), day).toBe(expected.get(day));
        compared++;
      }
    }
    expect(compared).toBe(96 * 365 + 23);
  });

  it('when Easter is computed for known years, then it falls on the right Sunday', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2038)).toBe('2038-04-25');
    expect(easterSunday(2285)).toBe('2285-03-22');
  });

  it('when midsommar and alla helgons dag move with the weekdays, then they land on their Friday and Saturdays', () => {
    expect(holidayName('2026-06-19')).toBe('midsommarafton');
    expect(holidayName('2027-06-25')).toBe('midsommarafton');
    expect(holidayName('2026-10-31')).toBe('alla helgons dag');
    expect(holidayName('2027-11-06')).toBe('alla helgons dag');
    expect(isWorkday('2026-06-19')).toBe(false);
    expect(isWorkday('2026-06-18')).toBe(true);
    expect(isWorkday('2026-12-05')).toBe(false);
  });
});

import rrule from 'rrule';
import { holidayName, isWorkday } from './holidays.js';
import { addDays, isoWeekday, toInstant, type LocalDate, type LocalTime } from './local-time.js';
import type { Schedule } from './schedule.schema.js';

const { RRule } = rrule;
const rruleWeekdays = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU];

export type OccurrenceStatus = 'planned' | 'moved' | 'cancelled' | 'skipped';

export interface Occurrence {
  /** The date the rule gave; stable identity of the occurrence even when it is moved. */
  readonly key: LocalDate;
  readonly date: LocalDate;
  readonly time: LocalTime;
  readonly start: Date;
  readonly end: Date;
  readonly status: OccurrenceStatus;
  /** Why it moved or was skipped: a holiday's name, `sommaruppehåll` or `inställt`. */
  readonly reason?: string;
}

/** Rule dates as UTC-midnight "floating" dates, read back as local calendar dates. */
const toFloating = (date: LocalDate) => new Date(`${date}T00:00:00Z`);
const fromFloating = (date: Date) => date.toISOString().slice(0, 10);

function ruleDates(schedule: Schedule, from: LocalDate, to: LocalDate): LocalDate[] {
  const { recurrence } = schedule;
  const last = schedule.endDate && schedule.endDate < to ? schedule.endDate : to;
  if (recurrence.kind === 'dates') {
    return [...new Set(recurrence.dates)].filter((d) => d >= from && d <= last).sort();
  }
  const weekday = rruleWeekdays[recurrence.weekday - 1]!;
  const rule =
    recurrence.kind === 'weekly'
      ? new RRule({
          freq: RRule.WEEKLY,
          interval: recurrence.intervalWeeks,
          byweekday: [weekday],
          dtstart: toFloating(firstWeekdayFrom(schedule.startDate, recurrence.weekday)),
          until: toFloating(last),
        })
      : new RRule({
          freq: RRule.MONTHLY,
          interval: recurrence.intervalMonths,
          byweekday: [weekday.nth(recurrence.nth)],
          dtstart: toFloating(schedule.startDate),
          until: toFloating(last),
        });
  return rule.between(toFloating(from), toFloating(last), true).map(fromFloating);
}

/** Every-N-weeks counts from the first meeting day on or after the start date. */
function firstWeekdayFrom(date: LocalDate, weekday: number): LocalDate {
  return addDays(date, (weekday - isoWeekday(date) + 7) % 7);
}

function inSummerBreak(schedule: Schedule, date: LocalDate): boolean {
  if (!schedule.summerBreak) return false;
  const monthDay = date.slice(5);
  const { from, to } = schedule.summerBreak;
  return from <= to ? monthDay >= from && monthDay <= to : monthDay >= from || monthDay <= to;
}

function shiftToWorkday(schedule: Schedule, date: LocalDate, step: 1 | -1): LocalDate | undefined {
  for (
    let candidate = addDays(date, step), i = 0;
    i < 14;
    candidate = addDays(candidate, step), i++
  ) {
    if (isWorkday(candidate) && !inSummerBreak(schedule, candidate)) return candidate;
  }
  return undefined;
}

function occurrence(
  key: LocalDate,
  date: LocalDate,
  time: LocalTime,
  durationMinutes: number,
  status: OccurrenceStatus,
  reason?: string,
): Occurrence {
  const start = toInstant(date, time);
  return {
    key,
    date,
    time,
    start,
    end: new Date(start.getTime() + durationMinutes * 60_000),
    status,
    ...(reason ? { reason } : {}),
  };
}

/**
 * Every occurrence whose rule date lies in [from, to], oldest first, with holidays, the summer
 * break and the series' own exceptions applied. Skipped and cancelled occurrences are kept (with
 * their reason) so a list can say why a month has no meeting.
 */
export function occurrences(schedule: Schedule, from: LocalDate, to: LocalDate): Occurrence[] {
  const exceptions = new Map(schedule.exceptions.map((exception) => [exception.date, exception]));
  const { time, durationMinutes } = schedule;
  return ruleDates(schedule, from < schedule.startDate ? schedule.startDate : from, to).map(
    (key) => {
      const exception = exceptions.get(key);
      if (exception?.action === 'cancel')
        return occurrence(key, key, time, durationMinutes, 'cancelled', 'inställt');
      if (exception?.action === 'move') {
        return occurrence(
          key,
          exception.toDate,
          exception.toTime ?? time,
          durationMinutes,
          'moved',
          'flyttat',
        );
      }
      if (inSummerBreak(schedule, key))
        return occurrence(key, key, time, durationMinutes, 'skipped', 'sommaruppehåll');
      const holiday = holidayName(key);
      if (!holiday || schedule.holidayPolicy === 'keep')
        return occurrence(key, key, time, durationMinutes, 'planned');
      if (schedule.holidayPolicy === 'skip')
        return occurrence(key, key, time, durationMinutes, 'skipped', holiday);
      const shifted = shiftToWorkday(
        schedule,
        key,
        schedule.holidayPolicy === 'nextWorkday' ? 1 : -1,
      );
      return shifted
        ? occurrence(key, shifted, time, durationMinutes, 'moved', holiday)
        : occurrence(key, key, time, durationMinutes, 'skipped', holiday);
    },
  );
}

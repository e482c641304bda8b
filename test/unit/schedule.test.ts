import { describe, expect, it } from 'vitest';
import { holidayName, isWorkday } from '../../src/schedule/holidays.js';
import { toInstant, toLocal } from '../../src/schedule/local-time.js';
import { occurrences } from '../../src/schedule/recurrence.js';
import { scheduleSchema, type Schedule } from '../../src/schedule/schedule.schema.js';

const weekly = (weekday: number, time: string, extra: Partial<Schedule> = {}): Schedule =>
  scheduleSchema.parse({
    startDate: '2026-01-01',
    time,
    durationMinutes: 60,
    recurrence: { kind: 'weekly', weekday, intervalWeeks: 1 },
    holidayPolicy: 'keep',
    exceptions: [],
    ...extra,
  });

const iso = (date: Date) => date.toISOString();

describe('wall-clock time in Stockholm', () => {
  it('when a 09:00 meeting recurs across the March DST change, then it stays 09:00 local (08:00Z → 07:00Z)', () => {
    const list = occurrences(weekly(2, '09:00'), '2026-03-20', '2026-04-01');
    expect(list.map((o) => [o.date, iso(o.start)])).toEqual([
      ['2026-03-24', '2026-03-24T08:00:00.000Z'],
      ['2026-03-31', '2026-03-31T07:00:00.000Z'],
    ]);
    expect(list.map((o) => toLocal(o.start).time)).toEqual(['09:00', '09:00']);
  });

  it('when a 09:00 meeting recurs across the October DST change, then it stays 09:00 local (07:00Z → 08:00Z)', () => {
    const list = occurrences(weekly(2, '09:00'), '2026-10-20', '2026-10-28');
    expect(list.map((o) => iso(o.start))).toEqual([
      '2026-10-20T07:00:00.000Z',
      '2026-10-27T08:00:00.000Z',
    ]);
  });

  it('when a reminder is at 02:30 on the spring-forward Sunday (a time that does not exist), then it is at 03:30 CEST', () => {
    expect(iso(toInstant('2026-03-29', '02:30'))).toBe('2026-03-29T01:30:00.000Z');
    expect(toLocal(toInstant('2026-03-29', '02:30')).time).toBe('03:30');
    expect(iso(toInstant('2026-03-28', '02:30'))).toBe('2026-03-28T01:30:00.000Z');
  });

  it('when a reminder is at 02:30 on the fall-back Sunday (a time that happens twice), then it is the first one, in summer time', () => {
    expect(iso(toInstant('2026-10-25', '02:30'))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(toInstant('2026-10-25', '03:30'))).toBe('2026-10-25T02:30:00.000Z');
    expect(iso(toInstant('2026-10-26', '02:30'))).toBe('2026-10-26T01:30:00.000Z');
  });

  it('when a weekly Sunday series at 02:30 crosses both changes, then every occurrence happens exactly once', () => {
    const list = occurrences(weekly(7, '02:30'), '2026-03-22', '2026-11-01');
    const starts = list.map((o) => o.start.getTime());
    expect(new Set(starts).size).toBe(starts.length);
    expect(list[0]!.date).toBe('2026-03-22');
    expect(iso(list[1]!.start)).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(list.at(-1)!.start)).toBe('2026-11-01T01:30:00.000Z');
  });
});

describe('recurrence rules', () => {
  it('when a series is "andra tisdagen varje månad", then it falls on the second Tuesday', () => {
    const schedule = scheduleSchema.parse({
      startDate: '2026-01-01',
      time: '13:00',
      durationMinutes: 90,
      recurrence: { kind: 'monthlyNthWeekday', nth: 2, weekday: 2, intervalMonths: 1 },
      holidayPolicy: 'keep',
      exceptions: [],
    });
    expect(occurrences(schedule, '2026-01-01', '2026-06-30').map((o) => o.date)).toEqual([
      '2026-01-13',
      '2026-02-10',
      '2026-03-10',
      '2026-04-14',
      '2026-05-12',
      '2026-06-09',
    ]);
  });

  it('when a series is the last Friday every other month, then nth -1 with interval 2 gives that', () => {
    const schedule = scheduleSchema.parse({
      startDate: '2026-01-01',
      time: '10:00',
      durationMinutes: 60,
      recurrence: { kind: 'monthlyNthWeekday', nth: -1, weekday: 5, intervalMonths: 2 },
      holidayPolicy: 'keep',
      exceptions: [],
    });
    expect(occurrences(schedule, '2026-01-01', '2026-07-31').map((o) => o.date)).toEqual([
      '2026-01-30',
      '2026-03-27',
      '2026-05-29',
      '2026-07-31',
    ]);
  });

  it('when a series meets every second week, then the weeks alternate from the start date', () => {
    const schedule = weekly(3, '08:30', {
      recurrence: { kind: 'weekly', weekday: 3, intervalWeeks: 2 },
    });
    expect(occurrences(schedule, '2026-01-01', '2026-02-15').map((o) => o.date)).toEqual([
      '2026-01-07',
      '2026-01-21',
      '2026-02-04',
    ]);
  });

  it('when a termin has a fixed date list, then exactly those dates come, with cancellations and moves applied', () => {
    const schedule = scheduleSchema.parse({
      startDate: '2026-01-01',
      time: '14:00',
      durationMinutes: 60,
      recurrence: {
        kind: 'dates',
        dates: ['2026-01-22', '2026-02-19', '2026-03-19', '2026-04-16', '2026-05-21', '2026-06-11'],
      },
      holidayPolicy: 'keep',
      exceptions: [
        { action: 'cancel', date: '2026-03-19' },
        { action: 'move', date: '2026-04-16', toDate: '2026-04-17', toTime: '09:00' },
      ],
    });
    expect(
      occurrences(schedule, '2026-01-01', '2026-06-30').map((o) => [
        o.key,
        o.date,
        o.time,
        o.status,
      ]),
    ).toEqual([
      ['2026-01-22', '2026-01-22', '14:00', 'planned'],
      ['2026-02-19', '2026-02-19', '14:00', 'planned'],
      ['2026-03-19', '2026-03-19', '14:00', 'cancelled'],
      ['2026-04-16', '2026-04-17', '09:00', 'moved'],
      ['2026-05-21', '2026-05-21', '14:00', 'planned'],
      ['2026-06-11', '2026-06-11', '14:00', 'planned'],
    ]);
  });

  it('when the end date is reached, then no later occurrence is produced', () => {
    const list = occurrences(
      weekly(1, '09:00', { endDate: '2026-01-19' }),
      '2026-01-01',
      '2026-12-31',
    );
    expect(list.map((o) => o.date)).toEqual(['2026-01-05', '2026-01-12', '2026-01-19']);
  });
});

describe('röda dagar and the summer break', () => {
  it('when the calendar is asked, then julafton, midsommarafton, nyårsafton and Kristi himmelsfärd are days off', () => {
    expect(holidayName('2026-12-24')).toBe('julafton');
    expect(holidayName('2026-06-19')).toBe('midsommarafton');
    expect(holidayName('2026-12-31')).toBe('nyårsafton');
    expect(holidayName('2026-05-14')).toBe('Kristi himmelsfärdsdag');
    expect(isWorkday('2026-06-18')).toBe(true);
    expect(isWorkday('2026-06-20')).toBe(false);
  });

  it.each([
    ['skip', '2026-06-19', 'skipped'],
    ['nextWorkday', '2026-06-22', 'moved'],
    ['previousWorkday', '2026-06-18', 'moved'],
    ['keep', '2026-06-19', 'planned'],
  ] as const)(
    'when a Friday meeting falls on midsommarafton with policy %s, then it is on %s (%s)',
    (policy, date, status) => {
      const list = occurrences(
        weekly(5, '09:00', { holidayPolicy: policy }),
        '2026-06-19',
        '2026-06-19',
      );
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ key: '2026-06-19', date, status });
      if (status !== 'planned') expect(list[0]!.reason).toBe('midsommarafton');
    },
  );

  it('when a Thursday meeting is moved off julafton and nyårsafton, then it lands on the next working day after the holidays', () => {
    const list = occurrences(
      weekly(4, '10:00', { holidayPolicy: 'nextWorkday' }),
      '2026-12-20',
      '2027-01-01',
    );
    expect(list.map((o) => [o.key, o.date])).toEqual([
      ['2026-12-24', '2026-12-28'],
      ['2026-12-31', '2027-01-04'],
    ]);
  });

  it('when a series has a summer break, then the meetings in it are skipped and say why', () => {
    const schedule = scheduleSchema.parse({
      startDate: '2026-05-01',
      time: '09:00',
      durationMinutes: 60,
      recurrence: { kind: 'monthlyNthWeekday', nth: 1, weekday: 2, intervalMonths: 1 },
      holidayPolicy: 'skip',
      summerBreak: { from: '06-22', to: '08-09' },
      exceptions: [],
    });
    expect(
      occurrences(schedule, '2026-05-01', '2026-09-30').map((o) => [
        o.date,
        o.status,
        o.reason ?? '',
      ]),
    ).toEqual([
      ['2026-05-05', 'planned', ''],
      ['2026-06-02', 'planned', ''],
      ['2026-07-07', 'skipped', 'sommaruppehåll'],
      ['2026-08-04', 'skipped', 'sommaruppehåll'],
      ['2026-09-01', 'planned', ''],
    ]);
  });

  it('when a schedule has a bad date or time, then parsing fails with a Swedish message', () => {
    const result = scheduleSchema.safeParse({
      ...weekly(1, '09:00'),
      startDate: '2026-02-30',
      time: '25:00',
    });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((issue) => issue.message);
    expect(messages).toContain('Datumet ska skrivas ÅÅÅÅ-MM-DD, till exempel 2026-03-10.');
    expect(messages).toContain('Tiden ska skrivas TT:MM, till exempel 09:00.');
  });
});

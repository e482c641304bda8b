import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import type { MeetingSeries } from '../../src/meetings/meetings.schema.js';
import { parseDateList } from '../../src/meetings/series/series-form.js';
import { actionReminderStep, stepsFor } from '../../src/meetings/series/timetable.js';
import { toInstant } from '../../src/schedule/local-time.js';
import { dayOffReason, previousWorkday } from '../../src/schedule/working-days.js';

const series = (
  offsets: MeetingSeries['offsets'],
  stepDays: MeetingSeries['stepDays'] = 'previousWorkday',
) => ({ offsets, stepDays });

const local = (date: Date) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(date);

describe('the working-day rule', () => {
  it('when a date is a Saturday or Sunday, then it moves to the Friday before', () => {
    expect(dayOffReason('2027-01-09')).toBe('lördag');
    expect(dayOffReason('2027-01-10')).toBe('söndag');
    expect(previousWorkday('2027-01-09')).toBe('2027-01-08');
    expect(previousWorkday('2027-01-10')).toBe('2027-01-08');
  });

  it('when a date is a working day, then it stays', () => {
    expect(dayOffReason('2027-01-12')).toBeUndefined();
    expect(previousWorkday('2027-01-12')).toBe('2027-01-12');
  });

  it('when a date is a röd dag, then it moves to the working day before it (Kristi himmelsfärd, nationaldagen)', () => {
    expect(dayOffReason('2026-05-14')).toBe('Kristi himmelsfärdsdag');
    expect(previousWorkday('2026-05-14')).toBe('2026-05-13');
    expect(previousWorkday('2027-06-06')).toBe('2027-06-04');
  });

  it('when a date is in påsk, then it moves past långfredag and the weekend to skärtorsdagen', () => {
    expect(previousWorkday('2026-04-06')).toBe('2026-04-02');
    expect(dayOffReason('2026-04-03')).toBe('långfredagen');
  });

  it('when a date is midsommarafton, then it counts as a day off and moves to the Thursday', () => {
    expect(dayOffReason('2026-06-19')).toBe('midsommarafton');
    expect(previousWorkday('2026-06-19')).toBe('2026-06-18');
    expect(previousWorkday('2026-06-20')).toBe('2026-06-18');
  });

  it('when a date is julafton, juldagen or annandag jul, then it moves to 23 December', () => {
    for (const date of ['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-27']) {
      expect(previousWorkday(date)).toBe('2026-12-23');
    }
    expect(dayOffReason('2026-12-24')).toBe('julafton');
  });

  it('when a date is nyårsafton or nyårsdagen, then it moves to 30 December', () => {
    expect(dayOffReason('2026-12-31')).toBe('nyårsafton');
    expect(previousWorkday('2027-01-01')).toBe('2026-12-30');
  });
});

describe('the steps before a meeting', () => {
  it('when the item deadline falls on a Sunday, then it moves to Friday at 12.00 and says why', () => {
    const steps = stepsFor(
      series({ callDays: 7, deadlineDays: 2, agendaDays: 1 }),
      toInstant('2026-12-08', '09:00'),
    );
    expect(local(steps.deadline.at)).toBe('2026-12-04 12:00');
    expect(steps.deadline).toMatchObject({ plannedDate: '2026-12-06', movedBecause: 'söndag' });
    expect(local(steps.kallelse.at)).toBe('2026-12-01 09:00');
    expect(steps.kallelse.movedBecause).toBeUndefined();
  });

  it('when a kallelse falls on julafton, then it goes out on 23 December', () => {
    const steps = stepsFor(
      series({ callDays: 7, deadlineDays: 2, agendaDays: 1 }),
      toInstant('2026-12-31', '13:00'),
    );
    expect(local(steps.kallelse.at)).toBe('2026-12-23 09:00');
    expect(steps.kallelse.movedBecause).toBe('julafton');
  });

  it('when the series keeps weekend dates, then nothing moves', () => {
    const steps = stepsFor(
      series({ callDays: 7, deadlineDays: 2, agendaDays: 1 }, 'keep'),
      toInstant('2026-12-08', '09:00'),
    );
    expect(local(steps.deadline.at)).toBe('2026-12-06 12:00');
    expect(steps.deadline.movedBecause).toBeUndefined();
  });

  it('when moving puts the dagordning on the deadline day (a Monday meeting), then it goes out an hour after the deadline', () => {
    const steps = stepsFor(
      series({ callDays: 7, deadlineDays: 2, agendaDays: 1 }),
      toInstant('2027-01-11', '13:00'),
    );
    expect(local(steps.deadline.at)).toBe('2027-01-08 12:00');
    expect(local(steps.dagordning.at)).toBe('2027-01-08 13:00');
    expect(steps.dagordning.at > steps.deadline.at).toBe(true);
  });

  it('when an action item is due on a Monday, then its reminder comes the Friday before at 09.00', () => {
    const step = actionReminderStep('previousWorkday', '2027-01-11');
    expect(local(step.at)).toBe('2027-01-08 09:00');
    expect(step.movedBecause).toBe('söndag');
    expect(local(actionReminderStep('keep', '2027-01-11').at)).toBe('2027-01-10 09:00');
  });

  it('when an action item is due the day after midsommarafton, then its reminder comes on the Thursday', () => {
    expect(local(actionReminderStep('previousWorkday', '2026-06-20').at)).toBe('2026-06-18 09:00');
  });
});

describe('a list of meeting dates', () => {
  const refusal = (text: string) => {
    try {
      parseDateList(text, '2026-11-23', '2026-11-23');
      return 'accepted';
    } catch (error) {
      return isAppError(error) ? (error.userMessage ?? error.reason) : String(error);
    }
  };

  it('when a date in the list has passed, then the list is refused, naming that date and why', () => {
    const text = refusal('2026-11-21, 2026-12-21');
    expect(text).toContain('2026-11-21 har redan passerat');
    expect(text).toContain('Ta bort det datumet');
  });

  it('when an entry cannot be read as a date, then its position is named and it is not quoted back', () => {
    const text = refusal('2026-12-21; 2026-13-40, 8001281206, 2027-01-19');
    expect(text).toContain('Datum nummer 2 och 3 i listan');
    expect(text).toContain('ÅÅÅÅ-MM-DD');
    expect(text).not.toContain('8001281206');
    expect(text).not.toContain('2026-13-40');
  });

  it('when the dates are fine, then they come back sorted without duplicates', () => {
    expect(parseDateList('2027-01-19 2026-12-21,2027-01-19', '2026-11-23', '2026-11-23')).toEqual([
      '2026-12-21',
      '2027-01-19',
    ]);
  });

  it('when a date lies before the start date, then it is refused, naming it', () => {
    expect(() => parseDateList('2026-12-01', '2026-11-23', '2026-12-05')).toThrow();
  });
});

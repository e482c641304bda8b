import { formatDay } from '../../schedule/format.js';
import { addDays, toInstant, toLocal, type LocalDate } from '../../schedule/local-time.js';
import { dayOffReason, previousWorkday } from '../../schedule/working-days.js';
import type { MeetingSeries, Offsets, StepDayRule } from '../meetings.schema.js';

/** The time of day the kallelse, the deadline reminder and the dagordning go out. */
export const STEP_TIME = '09:00';
/** The last time for agenda items on the deadline day. */
export const DEADLINE_TIME = '12:00';

/** One dated step before a meeting, moved off a weekend or röd dag when the series says so. */
export interface Step {
  readonly at: Date;
  /** The day the offsets give. */
  readonly plannedDate: LocalDate;
  /** The day it happens (earlier than `plannedDate` when that was not a working day). */
  readonly date: LocalDate;
  /** Why it moved: `lördag`, `söndag` or the röd dag's name. */
  readonly movedBecause?: string;
}

export interface Steps {
  readonly kallelse: Step;
  readonly deadline: Step;
  readonly dagordning: Step;
}

function step(rule: StepDayRule, plannedDate: LocalDate, time: string): Step {
  const reason = rule === 'previousWorkday' ? dayOffReason(plannedDate) : undefined;
  const date = reason ? previousWorkday(plannedDate) : plannedDate;
  return {
    at: toInstant(date, time),
    plannedDate,
    date,
    ...(reason ? { movedBecause: reason } : {}),
  };
}

/**
 * When the kallelse, the item deadline and the dagordning of a meeting starting at `startsAt`
 * happen: counted back from the day it is held (also when moved), each moved to the previous
 * working day when it falls on a weekend or röd dag and the series has that rule. When that move
 * puts the dagordning on the deadline's day, it goes out an hour after the deadline.
 */
export function stepsFor(
  series: Pick<MeetingSeries, 'offsets' | 'stepDays'>,
  startsAt: Date,
): Steps {
  const heldOn = toLocal(startsAt).date;
  const { callDays, deadlineDays, agendaDays } = series.offsets;
  const kallelse = step(series.stepDays, addDays(heldOn, -callDays), STEP_TIME);
  const deadline = step(series.stepDays, addDays(heldOn, -deadlineDays), DEADLINE_TIME);
  let dagordning =
    agendaDays === 0
      ? { at: new Date(startsAt.getTime() - 60 * 60_000), plannedDate: heldOn, date: heldOn }
      : step(series.stepDays, addDays(heldOn, -agendaDays), STEP_TIME);
  if (dagordning.at <= deadline.at && agendaDays > 0 && agendaDays < deadlineDays) {
    dagordning = { ...dagordning, at: new Date(deadline.at.getTime() + 60 * 60_000) };
  }
  return { kallelse, deadline, dagordning };
}

/** Whether offsets are usable at all (before any date is known). */
export function offsetProblem(offsets: Offsets): string | undefined {
  if (offsets.deadlineDays >= offsets.callDays) {
    return 'Sista dag för punkter måste ligga efter kallelsen och före mötet.';
  }
  if (offsets.agendaDays > offsets.deadlineDays) {
    return 'Dagordningen kan inte skickas före sista dag för punkter.';
  }
  return undefined;
}

/**
 * An action item's reminder: 09:00 the working day before it is due (the day before itself when
 * the series keeps weekend dates).
 */
export function actionReminderStep(rule: StepDayRule, dueDate: LocalDate): Step {
  return step(rule, addDays(dueDate, -1), STEP_TIME);
}

/** Why a step is earlier than counted: "flyttad från söndag 10 januari (helg)". */
export function movedText(step: Step): string {
  if (!step.movedBecause) return '';
  const why = ['lördag', 'söndag'].includes(step.movedBecause) ? 'helg' : step.movedBecause;
  return `flyttad från ${formatDay(step.plannedDate)} (${why})`;
}

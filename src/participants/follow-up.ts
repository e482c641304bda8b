import { addDays, type LocalDate } from '../schedule/local-time.js';
import {
  ENDING_STEPS,
  type Participant,
  type ParticipantEvent,
  type Step,
} from './participants.schema.js';

/** The same day one month later, or the month's last day when it has no such day. */
export function addOneMonth(date: LocalDate): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const shifted = new Date(Date.UTC(y, m, Math.min(d, lastDay)));
  return shifted.toISOString().slice(0, 10);
}

export type Summary = Pick<
  Participant,
  'steps' | 'currentStep' | 'currentStepOn' | 'lastFollowUpOn' | 'nextFollowUpOn' | 'endedOn'
>;

const byDate = (a: ParticipantEvent, b: ParticipantEvent) =>
  a.on.localeCompare(b.on) || a.recordedAt.localeCompare(b.recordedAt) || a.id.localeCompare(b.id);

/**
 * A participant's current state from their whole history, so a summary left stale by a crash is
 * put right by the next event. Follow-ups: the first within one month of enrolment, then every
 * `followUpWeeks` after the latest contact (a recorded step or follow-up; a deviation is not a
 * contact). None after avbrott or avslutad.
 */
export function summarise(
  enrolledOn: LocalDate,
  events: readonly ParticipantEvent[],
  followUpWeeks: number,
): Summary {
  const sorted = [...events].sort(byDate);
  const steps: { step: Step; on: LocalDate }[] = [{ step: 'inskrivning', on: enrolledOn }];
  let lastFollowUpOn: LocalDate | undefined;
  for (const event of sorted) {
    if (event.kind === 'step' && event.step && event.step !== 'inskrivning') {
      steps.push({ step: event.step, on: event.on });
    }
    const contact =
      event.kind === 'followUp' || (event.kind === 'step' && event.step !== 'inskrivning');
    if (contact && (!lastFollowUpOn || event.on > lastFollowUpOn)) lastFollowUpOn = event.on;
  }
  const current = steps[steps.length - 1]!;
  const ended = ENDING_STEPS.includes(current.step);
  return {
    steps,
    currentStep: current.step,
    currentStepOn: current.on,
    ...(lastFollowUpOn ? { lastFollowUpOn } : {}),
    ...(ended
      ? { endedOn: current.on }
      : {
          nextFollowUpOn: lastFollowUpOn
            ? addDays(lastFollowUpOn, followUpWeeks * 7)
            : addOneMonth(enrolledOn),
        }),
  };
}

/** Whether a follow-up is late on `today` (the day after it was due). */
export const isOverdue = (participant: Participant, today: LocalDate) =>
  participant.nextFollowUpOn !== undefined && participant.nextFollowUpOn < today;

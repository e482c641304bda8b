import { addDays, type LocalDate } from '../schedule/local-time.js';
import { ENDING_STEPS, type Participant, type ParticipantEvent } from './participants.schema.js';

/** The same day one month later, or the month's last day when it has no such day. */
export function addOneMonth(date: LocalDate): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const shifted = new Date(Date.UTC(y, m, Math.min(d, lastDay)));
  return shifted.toISOString().slice(0, 10);
}

export type Summary = Pick<
  Participant,
  | 'currentStep'
  | 'currentStepOn'
  | 'currentStepAt'
  | 'lastFollowUpOn'
  | 'nextFollowUpOn'
  | 'endedOn'
>;

type Known = Pick<Participant, 'currentStep' | 'currentStepOn' | 'currentStepAt'> & {
  lastFollowUpOn?: LocalDate | undefined;
};

function withFollowUp(enrolledOn: LocalDate, known: Known, followUpWeeks: number): Summary {
  const ended = ENDING_STEPS.includes(known.currentStep);
  return {
    currentStep: known.currentStep,
    currentStepOn: known.currentStepOn,
    currentStepAt: known.currentStepAt,
    ...(known.lastFollowUpOn ? { lastFollowUpOn: known.lastFollowUpOn } : {}),
    ...(ended
      ? { endedOn: known.currentStepOn }
      : {
          nextFollowUpOn: known.lastFollowUpOn
            ? addDays(known.lastFollowUpOn, followUpWeeks * 7)
            : addOneMonth(enrolledOn),
        }),
  };
}

/** Right after enrolment: the first follow-up is due within one month. */
export function enrolledSummary(enrolledOn: LocalDate, at: string, followUpWeeks: number): Summary {
  return withFollowUp(
    enrolledOn,
    { currentStep: 'inskrivning', currentStepOn: enrolledOn, currentStepAt: at },
    followUpWeeks,
  );
}

const isContact = (event: Pick<ParticipantEvent, 'kind' | 'step'>) =>
  event.kind === 'followUp' || (event.kind === 'step' && event.step !== 'inskrivning');

/**
 * The summary after one more history row, from the summary before it: the current step is the
 * latest by date (a later record wins a tie, and a new record is always the latest), follow-ups
 * come one interval after the latest contact (a step or a follow-up; a deviation is not a
 * contact), the first within one month of enrolment; none after avbrott or avslutad.
 */
export function summaryAfter(
  participant: Participant,
  event: Pick<ParticipantEvent, 'kind' | 'step' | 'on' | 'recordedAt'>,
  followUpWeeks: number,
): Summary {
  const known: Known = {
    currentStep: participant.currentStep,
    currentStepOn: participant.currentStepOn,
    currentStepAt: participant.currentStepAt,
    lastFollowUpOn: participant.lastFollowUpOn,
  };
  if (event.kind === 'step' && event.step && event.on >= known.currentStepOn) {
    known.currentStep = event.step;
    known.currentStepOn = event.on;
    known.currentStepAt = event.recordedAt;
  }
  if (isContact(event) && (!known.lastFollowUpOn || event.on > known.lastFollowUpOn)) {
    known.lastFollowUpOn = event.on;
  }
  return withFollowUp(participant.enrolledOn, known, followUpWeeks);
}

/** The summary from a whole history, e.g. to check or repair a header. */
export function summarise(
  enrolledOn: LocalDate,
  events: readonly ParticipantEvent[],
  followUpWeeks: number,
): Summary {
  const sorted = [...events].sort(
    (a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.seq - b.seq,
  );
  let known: Known = {
    currentStep: 'inskrivning',
    currentStepOn: enrolledOn,
    currentStepAt: sorted[0]?.recordedAt ?? `${enrolledOn}T00:00:00.000Z`,
  };
  for (const event of sorted) {
    if (event.kind === 'step' && event.step === 'inskrivning') continue;
    if (event.kind === 'step' && event.step && event.on >= known.currentStepOn) {
      known = {
        ...known,
        currentStep: event.step,
        currentStepOn: event.on,
        currentStepAt: event.recordedAt,
      };
    }
    if (isContact(event) && (!known.lastFollowUpOn || event.on > known.lastFollowUpOn)) {
      known = { ...known, lastFollowUpOn: event.on };
    }
  }
  return withFollowUp(enrolledOn, known, followUpWeeks);
}

/** Whether a follow-up is late on `today` (the day after it was due). */
export const isOverdue = (participant: Participant, today: LocalDate) =>
  participant.nextFollowUpOn !== undefined && participant.nextFollowUpOn < today;

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
  | 'lastContactOn'
  | 'lastFollowUpOn'
  | 'nextFollowUpOn'
  | 'endedOn'
>;

type Known = Pick<Participant, 'currentStep' | 'currentStepOn' | 'currentStepAt'> & {
  lastContactOn?: LocalDate | undefined;
  lastFollowUpOn?: LocalDate | undefined;
};

/**
 * When the next follow-up is due: the first within one month of enrolment, whatever steps are
 * recorded before it; once a follow-up is recorded, one interval after the latest contact.
 */
export function nextFollowUp(
  enrolledOn: LocalDate,
  known: Pick<Known, 'lastContactOn' | 'lastFollowUpOn'>,
  followUpWeeks: number,
): LocalDate {
  if (!known.lastFollowUpOn) return addOneMonth(enrolledOn);
  const latest =
    known.lastContactOn && known.lastContactOn > known.lastFollowUpOn
      ? known.lastContactOn
      : known.lastFollowUpOn;
  return addDays(latest, followUpWeeks * 7);
}

function withFollowUp(enrolledOn: LocalDate, known: Known, followUpWeeks: number): Summary {
  const ended = ENDING_STEPS.includes(known.currentStep);
  return {
    currentStep: known.currentStep,
    currentStepOn: known.currentStepOn,
    currentStepAt: known.currentStepAt,
    ...(known.lastContactOn ? { lastContactOn: known.lastContactOn } : {}),
    ...(known.lastFollowUpOn ? { lastFollowUpOn: known.lastFollowUpOn } : {}),
    ...(ended
      ? { endedOn: known.currentStepOn }
      : { nextFollowUpOn: nextFollowUp(enrolledOn, known, followUpWeeks) }),
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

/** The known state after one more history row (no follow-up dates computed yet). */
function after(
  known: Known,
  event: Pick<ParticipantEvent, 'kind' | 'step' | 'on' | 'recordedAt'>,
): Known {
  const next: Known = { ...known };
  if (event.kind === 'step' && event.step && event.step !== 'inskrivning') {
    if (event.on >= next.currentStepOn) {
      next.currentStep = event.step;
      next.currentStepOn = event.on;
      next.currentStepAt = event.recordedAt;
    }
  }
  if (isContact(event) && (!next.lastContactOn || event.on > next.lastContactOn)) {
    next.lastContactOn = event.on;
  }
  if (event.kind === 'followUp' && (!next.lastFollowUpOn || event.on > next.lastFollowUpOn)) {
    next.lastFollowUpOn = event.on;
  }
  return next;
}

/**
 * The summary after one more history row, from the summary before it: the current step is the
 * latest by date (a later record wins a tie, and a new record is always the latest); the first
 * follow-up is due within one month of enrolment until a follow-up is recorded, later ones one
 * interval after the latest contact (a step or a follow-up; a deviation is not a contact); none
 * after avbrott or avslutad.
 */
export function summaryAfter(
  participant: Participant,
  event: Pick<ParticipantEvent, 'kind' | 'step' | 'on' | 'recordedAt'>,
  followUpWeeks: number,
): Summary {
  const known = after(
    {
      currentStep: participant.currentStep,
      currentStepOn: participant.currentStepOn,
      currentStepAt: participant.currentStepAt,
      lastContactOn: participant.lastContactOn,
      lastFollowUpOn: participant.lastFollowUpOn,
    },
    event,
  );
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
  for (const event of sorted) known = after(known, event);
  return withFollowUp(enrolledOn, known, followUpWeeks);
}

/** Whether a follow-up is late on `today` (the day after it was due). */
export const isOverdue = (participant: Participant, today: LocalDate) =>
  participant.nextFollowUpOn !== undefined && participant.nextFollowUpOn < today;

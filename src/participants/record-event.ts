import type { Principal } from '../access/access.schema.js';
import type { AuditEntry } from '../audit/audit.schema.js';
import { retryOnConflict } from '../concurrency.js';
import { invalidInput } from '../errors.js';
import { refusePersonalIdentityNumbers } from '../privacy/personal-identity-number.js';
import { toLocal } from '../schedule/local-time.js';
import { requireInsats, withoutSummary, type EnrolDeps } from './enrol-participant.js';
import { summaryAfter } from './follow-up.js';
import { outcomeSteps } from './outcome-steps.js';
import { requireVisible } from './participant-access.js';
import { TIMELINE_PAGE, type OutcomeRow, type TimelinePage } from './participants.repository.js';
import { ENDING_STEPS, type Participant, type ParticipantEvent } from './participants.schema.js';

export type NewEvent = Omit<ParticipantEvent, 'code' | 'seq' | 'recordedBy' | 'recordedAt'>;

export interface RecordedEvent {
  readonly participant: Participant;
  /** The header before the change (to move the follow-up reminder). */
  readonly before: Participant;
  readonly created: boolean;
  /** The first page of the history after the change (asked for with `withPage`). */
  readonly timeline?: TimelinePage;
}

export interface RecordOptions {
  /** The länsdel the clicked card names (see the repository's `get`). */
  readonly lansdelHint?: string | undefined;
  /** Answer the first page of the history after the change (and keep it beside the header). */
  readonly withPage?: boolean;
}

const OUTCOME_OR_END: readonly string[] = [
  'arbeteSubventionerad',
  'arbeteOsubventionerad',
  'studier',
  'annanInsats',
  'avbrott',
  'avslutad',
];

/**
 * The outcome rows a new step adds. A step dated on or after the current step only needs its
 * predecessor, which the header names; a back-dated step may change its neighbours, so the
 * whole history is read and every missing row added (extra rows never change an outcome).
 */
async function outcomeRowsFor(
  deps: EnrolDeps,
  participant: Participant,
  event: ParticipantEvent,
): Promise<OutcomeRow[]> {
  if (event.kind !== 'step' || !event.step) return [];
  if (event.on >= participant.currentStepOn) {
    const needed =
      OUTCOME_OR_END.includes(event.step) || ENDING_STEPS.includes(participant.currentStep);
    return needed ? [{ step: event.step, on: event.on, seq: event.seq }] : [];
  }
  const [history, stored] = await Promise.all([
    deps.participants.history(participant),
    deps.participants.outcomeRows(participant),
  ]);
  const have = new Set(stored.map((row) => row.seq));
  return outcomeSteps([...history, event])
    .filter((e) => !have.has(e.seq))
    .map((e) => ({ step: e.step!, on: e.on, seq: e.seq }));
}

/**
 * Records one step, follow-up or avvikelse: one transaction writes the new header (summary and
 * row count, conditional on the header that was read), the history row, any outcome rows, the
 * audit entry and the request marker. A repeat of the same request writes nothing; a lost race
 * reads again and retries.
 */
export function recordEvent(
  deps: EnrolDeps,
  actor: Principal,
  code: string,
  action: string,
  input: NewEvent,
  options: RecordOptions = {},
): Promise<RecordedEvent> {
  refusePersonalIdentityNumbers(input.note, input.which);
  return retryOnConflict(async () => {
    const withPage = options.withPage === true;
    const stored = await requireVisible(deps.participants, actor, code, options.lansdelHint, {
      firstPage: withPage,
    });
    const before = stored.value;
    const today = toLocal(deps.now()).date;
    if (input.on > today) throw invalidInput('Datumet kan inte vara framåt i tiden.');
    if (input.on < before.enrolledOn) {
      throw invalidInput(`Datumet är före inskrivningen (${before.enrolledOn}).`);
    }
    if (before.endedOn && input.kind !== 'step') {
      throw invalidInput(
        'Deltagaren har avslutat insatsen. Registrera ett nytt steg om deltagaren kommer tillbaka.',
      );
    }
    const at = deps.now().toISOString();
    const event: ParticipantEvent = {
      ...input,
      code: before.code,
      seq: before.eventCount,
      recordedBy: actor.userId,
      recordedAt: at,
    };
    const insats = requireInsats(deps.program, before.insatsId);
    const participant: Participant = {
      ...withoutSummary(before),
      ...summaryAfter(before, event, insats.followUpWeeks),
      eventCount: before.eventCount + 1,
    };
    const audit: AuditEntry = {
      at,
      actorId: actor.userId,
      ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
      action,
      subjectType: 'participant',
      subjectId: before.code,
      details: {
        ...(input.step ? { step: input.step } : {}),
        ...(input.deviation ? { deviation: input.deviation } : {}),
        on: input.on,
      },
    };
    // The kept first page belongs to the header read (or is read from the history rows when it
    // is not kept or behind); the change keeps the page after it, so the card needs no read.
    const page = withPage
      ? (stored.firstPage ?? (await deps.participants.timeline(before, TIMELINE_PAGE)))
      : undefined;
    const timeline = page ? deps.participants.pageWith(page, [event], TIMELINE_PAGE) : undefined;
    const outcome = await deps.participants.commit({
      participant,
      version: stored.version,
      events: [event],
      ...(timeline ? { firstPage: timeline } : {}),
      outcomes: await outcomeRowsFor(deps, before, event),
      audit: [audit],
      requestKey: `${input.kind}|${input.id}`,
    });
    if (outcome.kind === 'repeated') {
      return { participant: before, before, created: false };
    }
    return { participant, before, created: true, ...(timeline ? { timeline } : {}) };
  }, 3);
}

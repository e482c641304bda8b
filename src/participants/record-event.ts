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
import type { OutcomeRow, TimelinePage } from './participants.repository.js';
import { ENDING_STEPS, type Participant, type ParticipantEvent } from './participants.schema.js';

export type NewEvent = Omit<ParticipantEvent, 'code' | 'seq' | 'recordedBy' | 'recordedAt'>;

export interface RecordedEvent {
  readonly participant: Participant;
  /** The header before the change (to move the follow-up reminder). */
  readonly before: Participant;
  readonly created: boolean;
  /** The first page of the history after the change, when it was read alongside it. */
  readonly timeline?: TimelinePage;
}

export interface RecordOptions {
  /** The länsdel the clicked card names (see the repository's `get`). */
  readonly lansdelHint?: string | undefined;
  /** Read the first page of the history, this long, alongside the change. */
  readonly page?: number;
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
  let tries = 0;
  return retryOnConflict(async () => {
    tries++;
    const stored = await requireVisible(deps.participants, actor, code, options.lansdelHint);
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
    // Read after the header: it holds every row written before it (a later one fails our
    // change); whether it holds our own row depends on timing, and the merge keeps one.
    const size = options.page;
    const page =
      size && tries === 1
        ? deps.participants.timeline(before, size).catch(() => undefined)
        : undefined;
    const outcome = await deps.participants.commit({
      participant,
      version: stored.version,
      events: [event],
      outcomes: await outcomeRowsFor(deps, before, event),
      audit: [audit],
      requestKey: `${input.kind}|${input.id}`,
    });
    if (outcome.kind === 'repeated') {
      return { participant: before, before, created: false };
    }
    const read = await page;
    const timeline = read && size ? deps.participants.pageWith(read, [event], size) : undefined;
    return { participant, before, created: true, ...(timeline ? { timeline } : {}) };
  }, 3);
}

import { TableClient } from '@azure/data-tables';
import { expect, inject } from 'vitest';
import { outcomeSteps } from '../../src/participants/outcome-steps.js';
import {
  ENDING_STEPS,
  type AgeGroup,
  type Gender,
  type Participant,
  type ParticipantEvent,
  type Step,
} from '../../src/participants/participants.schema.js';
import type { ReportParticipant } from '../../src/reports/lagesrapport.js';
import { participantTables, type ParticipantStore } from '../../src/storage/participant-tables.js';
import { createTableStore, type TableStore } from '../../src/storage/table-store.js';
import { uniquePrefix } from './test-bot.js';

/**
 * Participants written straight through the participant store (as the use cases write them:
 * one transaction per change, outcome rows beside the header), for storage tests that look at
 * what another instance reads.
 */
export const AT = '2026-05-04T09:00:00.000Z';
export const LANSDELAR = ['norra', 'sodra'] as const;

export async function participantWorld(options: { now?: () => Date } = {}) {
  const connectionString = inject('tableConnectionString');
  const prefix = uniquePrefix();
  const store: TableStore = createTableStore(
    { kind: 'connectionString', connectionString },
    prefix,
  );
  await store.ensureTables();
  const instance = (now?: () => Date) =>
    participantTables(store, LANSDELAR, now ? { now } : options.now ? { now: options.now } : {});
  const client = TableClient.fromConnectionString(connectionString, `${prefix}Participants`, {
    allowInsecureConnection: true,
  });
  return { store, instance, client };
}

export interface Enrolment {
  readonly lansdelId: string;
  readonly gender: Gender;
  readonly consent: boolean;
  readonly ageGroup?: AgeGroup;
  readonly kommun?: string;
  readonly enrolledOn: string;
  readonly requestId: string;
}

const audit = (code: string, action: string) => [
  { at: AT, actorId: '29:leila', action, subjectType: 'participant', subjectId: code },
];

/** Enrols a participant (reservation, then the write); answers the code it got. */
export async function enrol(repo: ParticipantStore, e: Enrolment): Promise<string> {
  const [reservation] = await repo.reserve(Number(e.enrolledOn.slice(0, 4)), [
    {
      requestId: e.requestId,
      lansdelId: e.lansdelId,
      build: (code) => {
        const participant: Participant = {
          code,
          lansdelId: e.lansdelId,
          insatsId: 'sikta',
          gender: e.gender,
          startYear: Number(e.enrolledOn.slice(0, 4)),
          consent: e.consent,
          enrolledOn: e.enrolledOn,
          ...(e.consent
            ? {
                birthYear: 1990,
                ageGroup: e.ageGroup ?? '30-49',
                kommun: e.kommun ?? 'Eskilstuna',
                referral: 'forsakringskassan' as const,
              }
            : {}),
          coachId: '29:leila',
          responsibleOrganisationId: 'fk',
          eventCount: 1,
          currentStep: 'inskrivning',
          currentStepOn: e.enrolledOn,
          currentStepAt: AT,
          nextFollowUpOn: e.enrolledOn,
          enrolRequestId: e.requestId,
          createdAt: AT,
          createdBy: '29:leila',
        };
        return {
          participant,
          events: [
            {
              id: 'inskrivning',
              seq: 0,
              code,
              kind: 'step',
              step: 'inskrivning',
              on: e.enrolledOn,
              recordedBy: '29:leila',
              recordedAt: AT,
            },
          ],
          outcomes: [],
          audit: audit(code, 'participants.enrol'),
          requestKey: `enrol|${e.requestId}`,
        };
      },
    },
  ]);
  expect((await repo.finish(reservation!.code)).kind).toBe('written');
  return reservation!.code;
}

/** Records a step on `on` (possibly back-dated) with the outcome rows it adds. */
export async function recordStep(repo: ParticipantStore, code: string, step: Step, on: string) {
  const stored = (await repo.get(code))!;
  const before = stored.value;
  const event: ParticipantEvent = {
    id: `step-${code}-${before.eventCount}`,
    seq: before.eventCount,
    code,
    kind: 'step',
    step,
    on,
    recordedBy: '29:leila',
    recordedAt: AT,
  };
  const history = await repo.history(before);
  const kept = new Set((await repo.outcomeRows(before)).map((row) => row.seq));
  const outcomes = outcomeSteps([...history, event])
    .filter((row) => !kept.has(row.seq))
    .map((row) => ({ step: row.step!, on: row.on, seq: row.seq }));
  const latest = on >= before.currentStepOn;
  const ends = latest && ENDING_STEPS.includes(step);
  const { nextFollowUpOn, endedOn, ...rest } = before;
  const participant: Participant = {
    ...rest,
    eventCount: before.eventCount + 1,
    ...(latest ? { currentStep: step, currentStepOn: on } : {}),
    ...(ends ? { endedOn: on } : latest ? { nextFollowUpOn: on } : { nextFollowUpOn, endedOn }),
  };
  const outcome = await repo.commit({
    participant: JSON.parse(JSON.stringify(participant)) as Participant,
    version: stored.version,
    events: [event],
    outcomes,
    audit: audit(code, 'participants.step'),
    requestKey: `step|${event.id}`,
  });
  expect(outcome.kind).toBe('committed');
}

/** A report list in an order that does not depend on storage order. */
export const sortedRows = (rows: readonly ReportParticipant[]) =>
  rows.map((row) => JSON.stringify(row)).sort();

/** Every länsdel's report rows of one instance, sorted. */
export async function allRows(repo: ParticipantStore) {
  const lists = await Promise.all(LANSDELAR.map((id) => repo.reportRows(id)));
  return sortedRows(lists.flat());
}

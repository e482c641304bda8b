import { TableClient } from '@azure/data-tables';
import { describe, expect, inject, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import type { ParticipantChange } from '../../src/participants/participants.repository.js';
import type { Participant } from '../../src/participants/participants.schema.js';
import { fenceLostChange } from '../../src/storage/participant-fence.js';
import { participantTables } from '../../src/storage/participant-tables.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { uniquePrefix } from '../support/test-bot.js';

/**
 * A step whose answer was lost and whose marker was not found is reported as not stored; the
 * fence makes that true even if storage still applies the request later.
 */
const AT = '2026-11-20T09:00:00.000Z';

async function world() {
  const connectionString = inject('tableConnectionString');
  const prefix = uniquePrefix();
  const store = createTableStore({ kind: 'connectionString', connectionString }, prefix);
  await store.ensureTables();
  const repo = participantTables(store, ['norra']);
  const client = TableClient.fromConnectionString(connectionString, `${prefix}Participants`, {
    allowInsecureConnection: true,
  });
  const participant: Participant = {
    code: 'D-2026-0001',
    lansdelId: 'norra',
    insatsId: 'sikta',
    gender: 'kvinna',
    startYear: 2026,
    consent: false,
    enrolledOn: '2026-11-02',
    coachId: '29:leila',
    responsibleOrganisationId: 'fk',
    eventCount: 1,
    currentStep: 'inskrivning',
    currentStepOn: '2026-11-02',
    currentStepAt: AT,
    nextFollowUpOn: '2026-12-02',
    enrolRequestId: 'req-fence-0001',
    createdAt: AT,
    createdBy: '29:anna',
  };
  const enrolment: ParticipantChange = {
    participant,
    events: [
      {
        id: 'inskrivning',
        seq: 0,
        code: participant.code,
        kind: 'step',
        step: 'inskrivning',
        on: '2026-11-02',
        recordedBy: '29:anna',
        recordedAt: AT,
      },
    ],
    outcomes: [],
    audit: [
      {
        at: AT,
        actorId: '29:anna',
        action: 'participants.enrol',
        subjectType: 'participant',
        subjectId: participant.code,
      },
    ],
    requestKey: 'enrol|req-fence-0001',
  };
  await repo.reserve(2026, [
    { requestId: 'req-fence-0001', lansdelId: 'norra', build: () => enrolment },
  ]);
  expect((await repo.finish(participant.code)).kind).toBe('written');
  const read = (await repo.get(participant.code))!;
  const step = (id: string): ParticipantChange & { version: string } => ({
    participant: { ...read.value, eventCount: 2, lastContactOn: '2026-11-10' },
    version: read.version,
    events: [
      {
        id,
        seq: 1,
        code: participant.code,
        kind: 'step',
        step: 'kartlaggning',
        on: '2026-11-10',
        recordedBy: '29:leila',
        recordedAt: AT,
      },
    ],
    outcomes: [],
    audit: [
      {
        at: AT,
        actorId: '29:leila',
        action: 'participants.step',
        subjectType: 'participant',
        subjectId: participant.code,
      },
    ],
    requestKey: `step|${id}`,
  });
  return { repo, client, step };
}

describe('a change whose answer was lost', () => {
  it('when it has not landed, then the fence makes sure it never can', async () => {
    const { repo, client, step } = await world();
    const lost = step('req-fence-step-1');
    expect(await fenceLostChange(client, lost)).toBe('not-landed');
    const late = await repo.commit(lost).catch((error: unknown) => error);
    expect(isAppError(late, 'conflict')).toBe(true);
    expect(await repo.history((await repo.get('D-2026-0001'))!.value)).toHaveLength(1);
  });

  it('when it did land, then the fence says so and changes nothing', async () => {
    const { repo, client, step } = await world();
    const change = step('req-fence-step-2');
    expect((await repo.commit(change)).kind).toBe('committed');
    expect(await fenceLostChange(client, change)).toBe('landed');
    const stored = (await repo.get('D-2026-0001'))!.value;
    expect(stored.eventCount).toBe(2);
    expect((await repo.history(stored)).map((e) => e.id)).toEqual([
      'inskrivning',
      'req-fence-step-2',
    ]);
  });

  it('when another change took its place, then it did not land', async () => {
    const { repo, client, step } = await world();
    expect((await repo.commit(step('req-fence-other'))).kind).toBe('committed');
    expect(await fenceLostChange(client, step('req-fence-step-3'))).toBe('not-landed');
  });
});

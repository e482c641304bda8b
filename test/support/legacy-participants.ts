import { TableClient } from '@azure/data-tables';
import { inject } from 'vitest';
import { participantTables } from '../../src/storage/participant-tables.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { uniquePrefix } from './test-bot.js';

/**
 * Participants as the previous release stored them, written raw in its layout: table
 * `participants` (partition = länsdel, row key = code, the steps as JSON on the row), table
 * `participantEvents` (one partition per code, row key the request id) and `participantKeys`
 * (the yearly counter, the code and request index rows).
 */
export const LEGACY_CLOCK = new Date('2026-11-20T09:00:00.000Z');

export const clientOf = (connectionString: string, name: string) =>
  TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });

export interface LegacyEvent {
  id: string;
  kind: 'step' | 'followUp' | 'deviation';
  on: string;
  step?: string;
  deviation?: string;
  which?: string;
  note?: string;
  recordedAt: string;
}

export const at = (date: string, hour = 10) =>
  `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`;

/** Three participants as the previous release left them, plus any extra history. */
export function population(extraEvents = 0) {
  const a = {
    code: 'D-2026-0001',
    row: {
      lansdelId: 'norra',
      insatsId: 'sikta',
      gender: 'kvinna',
      startYear: 2026,
      consent: true,
      enrolledOn: '2026-03-02',
      birthYear: 1990,
      ageGroup: '30-49',
      kommun: 'Eskilstuna',
      referral: 'forsakringskassan',
      coachId: '29:leila',
      responsibleOrganisationId: 'fk',
      steps: JSON.stringify([
        { step: 'inskrivning', on: '2026-03-02' },
        { step: 'kartlaggning', on: '2026-03-10' },
        { step: 'arbeteSubventionerad', on: '2026-06-01' },
      ]),
      currentStep: 'arbeteSubventionerad',
      currentStepOn: '2026-06-01',
      lastFollowUpOn: '2026-06-01',
      nextFollowUpOn: '2026-07-13',
      enrolRequestId: 'req-legacy-0001',
      createdAt: at('2026-03-02', 9),
      createdBy: '29:anna',
    },
    events: [
      {
        id: 'inskrivning',
        kind: 'step',
        step: 'inskrivning',
        on: '2026-03-02',
        recordedAt: at('2026-03-02', 9),
      },
      {
        id: 'req-a-0002',
        kind: 'step',
        step: 'kartlaggning',
        on: '2026-03-10',
        note: 'Möte "på plats", åäö 🚀\nrad två',
        recordedAt: at('2026-03-10'),
      },
      { id: 'req-a-0003', kind: 'followUp', on: '2026-03-30', recordedAt: at('2026-03-30') },
      {
        id: 'req-a-0004',
        kind: 'deviation',
        deviation: 'uteblivet',
        on: '2026-04-15',
        recordedAt: at('2026-04-15'),
      },
      {
        id: 'req-a-0005',
        kind: 'step',
        step: 'arbeteSubventionerad',
        on: '2026-06-01',
        recordedAt: at('2026-06-01'),
      },
      ...Array.from({ length: extraEvents }, (_, i): LegacyEvent => ({
        id: `req-a-x${String(i).padStart(4, '0')}`,
        kind: 'followUp',
        on: '2026-05-01',
        note: `Uppföljning ${i}`,
        recordedAt: `2026-05-01T11:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`,
      })),
    ] as LegacyEvent[],
  };
  const b = {
    code: 'D-2026-0002',
    row: {
      lansdelId: 'norra',
      insatsId: 'sikta',
      gender: 'man',
      startYear: 2026,
      consent: false,
      enrolledOn: '2026-04-01',
      coachId: '29:omar',
      responsibleOrganisationId: 'eskilstuna',
      steps: JSON.stringify([
        { step: 'inskrivning', on: '2026-04-01' },
        { step: 'avbrott', on: '2026-05-05' },
      ]),
      currentStep: 'avbrott',
      currentStepOn: '2026-05-05',
      lastFollowUpOn: '2026-05-05',
      endedOn: '2026-05-05',
      enrolRequestId: 'req-legacy-0002',
      createdAt: at('2026-04-01', 9),
      createdBy: '29:anna',
    },
    events: [
      {
        id: 'inskrivning',
        kind: 'step',
        step: 'inskrivning',
        on: '2026-04-01',
        recordedAt: at('2026-04-01', 9),
      },
      {
        id: 'req-b-0002',
        kind: 'step',
        step: 'avbrott',
        on: '2026-05-05',
        recordedAt: at('2026-05-05'),
      },
    ] as LegacyEvent[],
  };
  // Enrolled, then a step; the release stopped before it wrote the enrolment's history row.
  const c = {
    code: 'D-2026-0003',
    row: {
      lansdelId: 'norra',
      insatsId: 'sikta',
      gender: 'annat',
      startYear: 2026,
      consent: false,
      enrolledOn: '2026-10-20',
      coachId: '29:leila',
      responsibleOrganisationId: 'fk',
      steps: JSON.stringify([
        { step: 'inskrivning', on: '2026-10-20' },
        { step: 'studiebesok', on: '2026-10-22' },
      ]),
      currentStep: 'studiebesok',
      currentStepOn: '2026-10-22',
      lastFollowUpOn: '2026-10-22',
      nextFollowUpOn: '2026-12-03',
      enrolRequestId: 'req-legacy-0003',
      createdAt: at('2026-10-20', 9),
      createdBy: '29:leila',
    },
    events: [
      {
        id: 'req-c-0002',
        kind: 'step',
        step: 'studiebesok',
        on: '2026-10-22',
        recordedAt: at('2026-10-22'),
      },
    ] as LegacyEvent[],
  };
  return [a, b, c];
}

/** A fresh set of tables holding the previous release's participants. */
export async function legacyWorld(extraEvents = 0) {
  const connectionString = inject('tableConnectionString');
  const prefix = uniquePrefix();
  const store = createTableStore({ kind: 'connectionString', connectionString }, prefix);
  await store.ensureTables();
  const participants = clientOf(connectionString, `${prefix}Participants`);
  const events = clientOf(connectionString, `${prefix}ParticipantEvents`);
  const keys = clientOf(connectionString, `${prefix}ParticipantKeys`);
  await events.createTable();
  const people = population(extraEvents);
  for (const p of people) {
    await participants.createEntity({
      partitionKey: 'norra',
      rowKey: p.code,
      code: p.code,
      ...p.row,
    });
    await keys.createEntity({ partitionKey: 'code', rowKey: p.code, lansdelId: 'norra' });
    await keys.createEntity({
      partitionKey: 'request',
      rowKey: p.row.enrolRequestId,
      code: p.code,
    });
    for (const e of p.events) {
      await events.createEntity({
        partitionKey: p.code,
        rowKey: e.id,
        code: p.code,
        recordedBy: p.row.coachId,
        ...e,
      });
    }
  }
  await keys.createEntity({ partitionKey: 'counter', rowKey: '2026', next: 4 });
  const all = async (client: TableClient, filter?: string) => {
    const rows: Record<string, unknown>[] = [];
    for await (const row of client.listEntities<Record<string, unknown>>({
      queryOptions: filter ? { filter } : {},
    })) {
      rows.push(row);
    }
    return rows;
  };
  const open = (via = store) =>
    participantTables(via, ['norra', 'sodra'], { now: () => LEGACY_CLOCK });
  return { connectionString, prefix, store, participants, events, keys, people, all, open };
}

export type LegacyWorld = Awaited<ReturnType<typeof legacyWorld>>;

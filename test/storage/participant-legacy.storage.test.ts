import { odata, TableClient } from '@azure/data-tables';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { ParticipantChange } from '../../src/participants/participants.repository.js';
import { participantTables } from '../../src/storage/participant-tables.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { startStorageProxy, type StorageProxy } from '../support/storage-proxy.js';
import { uniquePrefix } from '../support/test-bot.js';

/**
 * Participants stored by the previous release, written here raw in that release's layout (table
 * `participants` with the step list as JSON on the row, table `participantEvents` one partition
 * per code, table `participantKeys` with the yearly counter and the code and request indexes),
 * read through today's register: moved into the aggregate rows on first read, once, however
 * often or wherever the migration runs, and finished when it was cut off half way.
 */
const CLOCK = new Date('2026-11-20T09:00:00.000Z');
const proxies: StorageProxy[] = [];
afterAll(async () => {
  for (const proxy of proxies) await proxy.stop();
});

const clientOf = (connectionString: string, name: string) =>
  TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });

interface LegacyEvent {
  id: string;
  kind: 'step' | 'followUp' | 'deviation';
  on: string;
  step?: string;
  deviation?: string;
  which?: string;
  note?: string;
  recordedAt: string;
}

const at = (date: string, hour = 10) => `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`;

/** Three participants as the previous release left them, plus any extra history. */
function population(extraEvents = 0) {
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
async function legacyWorld(extraEvents = 0) {
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
  const open = (via = store) => participantTables(via, ['norra', 'sodra'], { now: () => CLOCK });
  return { connectionString, prefix, store, participants, events, keys, people, all, open };
}

/** What must hold once the migration is done, however it got there. */
async function expectMigrated(world: Awaited<ReturnType<typeof legacyWorld>>, extraEvents = 0) {
  const repo = world.open();
  const legacyRows = await world.all(
    world.participants,
    odata`PartitionKey eq ${'norra'} and RowKey ge ${'D-'} and RowKey lt ${'D.'}`,
  );
  expect(legacyRows).toEqual([]);
  expect(await world.all(world.events)).toEqual([]);
  const partition = await world.all(world.participants, odata`PartitionKey eq ${'norra'}`);
  for (const p of world.people) {
    const headers = partition.filter((r) => r.rowKey === `h|${p.code}`);
    expect(headers).toHaveLength(1);
    const audits = partition.filter(
      (r) => r.subjectId === p.code && r.action === 'participants.migrate',
    );
    expect(audits).toHaveLength(1);
    const stored = await repo.get(p.code);
    const history = await repo.history(stored!.value);
    expect(history).toHaveLength(Math.max(p.events.length, 1) + (p.code === 'D-2026-0003' ? 1 : 0));
    expect(stored!.value.eventCount).toBe(history.length);
  }
  const [a] = world.people;
  const history = await repo.history((await repo.get(a!.code))!.value);
  expect(history).toHaveLength(5 + extraEvents);
  expect(new Set(history.map((e) => e.seq)).size).toBe(history.length);
}

describe('participants of the previous release', () => {
  it("when a länsdel is first read, then its old participants read in today's shape with their whole history, outcomes and report rows, and the old rows are gone", async () => {
    const world = await legacyWorld();
    const repo = world.open();
    const a = await repo.get('D-2026-0001');
    expect(a?.value).toMatchObject({
      code: 'D-2026-0001',
      consent: true,
      ageGroup: '30-49',
      kommun: 'Eskilstuna',
      eventCount: 5,
      currentStep: 'arbeteSubventionerad',
      currentStepOn: '2026-06-01',
      currentStepAt: at('2026-06-01'),
      lastContactOn: '2026-06-01',
      lastFollowUpOn: '2026-03-30',
      nextFollowUpOn: '2026-07-13',
      source: 'form',
    });
    expect(a?.value).not.toHaveProperty('steps');
    const history = await repo.history(a!.value);
    expect(history.map((e) => [e.seq, e.id, e.kind])).toEqual([
      [0, 'inskrivning', 'step'],
      [1, 'req-a-0002', 'step'],
      [2, 'req-a-0003', 'followUp'],
      [3, 'req-a-0004', 'deviation'],
      [4, 'req-a-0005', 'step'],
    ]);
    expect(history[1]!.note).toBe('Möte "på plats", åäö 🚀\nrad två');
    expect(await repo.outcomeRows(a!.value)).toEqual([
      { step: 'arbeteSubventionerad', on: '2026-06-01', seq: 4 },
    ]);
    const timeline = await repo.timeline(a!.value, 2);
    expect(timeline.events.map((e) => e.id)).toEqual(['req-a-0005', 'req-a-0004']);

    const b = (await repo.get('D-2026-0002'))!.value;
    expect(b).toMatchObject({ endedOn: '2026-05-05', currentStep: 'avbrott' });
    expect(b.nextFollowUpOn).toBeUndefined();
    expect(b).not.toHaveProperty('kommun');

    // Its step came before any follow-up: today's rule puts the first one a month after enrolment.
    const c = (await repo.get('D-2026-0003'))!.value;
    expect(c).toMatchObject({
      eventCount: 2,
      nextFollowUpOn: '2026-11-20',
      lastContactOn: '2026-10-22',
    });
    expect((await repo.history(c)).map((e) => e.id)).toEqual(['inskrivning', 'req-c-0002']);

    const report = await repo.reportRows('norra');
    expect(report).toHaveLength(3);
    expect(report.find((r) => r.kommun === 'Eskilstuna')?.outcomes).toHaveLength(1);
    expect((await repo.auditOf(a!.value)).map((e) => e.action)).toEqual(['participants.migrate']);
    await expectMigrated(world);

    expect(await repo.codeOfRequest('req-legacy-0002')).toBe('D-2026-0002');
    const [next] = await repo.reserve(2026, [
      {
        requestId: 'req-after-upgrade-1',
        lansdelId: 'norra',
        build: (code): ParticipantChange => ({
          participant: { ...c, code, enrolRequestId: 'req-after-upgrade-1' },
          events: [
            {
              id: 'inskrivning',
              seq: 0,
              code,
              kind: 'step',
              step: 'inskrivning',
              on: c.enrolledOn,
              recordedBy: '29:anna',
              recordedAt: CLOCK.toISOString(),
            },
          ],
          outcomes: [],
          audit: [
            {
              at: CLOCK.toISOString(),
              actorId: '29:anna',
              action: 'participants.enrol',
              subjectType: 'participant',
              subjectId: code,
            },
          ],
          requestKey: 'enrol|req-after-upgrade-1',
        }),
      },
    ]);
    expect(next).toEqual({ requestId: 'req-after-upgrade-1', code: 'D-2026-0004', fresh: true });
  });

  it('when the migration runs again, and on two instances at once, then every participant is written once', async () => {
    const world = await legacyWorld();
    const [first, second] = await Promise.all([
      world.open().migrateAll(),
      world.open().migrateAll(),
    ]);
    expect(first + second).toBeGreaterThanOrEqual(3);
    expect(await world.open().migrateAll()).toBe(0);
    await expectMigrated(world);
    const repo = world.open();
    expect((await repo.listLansdel('norra')).map((p) => p.code).sort()).toEqual([
      'D-2026-0001',
      'D-2026-0002',
      'D-2026-0003',
    ]);
  });

  for (const [what, pattern, when, skip] of [
    ['the first transaction, before it reaches storage', /\$batch/, 'before', 0],
    ['the first transaction, its answer lost', /\$batch/, 'after', 0],
    ['the second transaction', /\$batch/, 'before', 1],
    ['the fourth transaction, its answer lost', /\$batch/, 'after', 3],
    ['the first removal of an old row', /^DELETE [^ ]*Participants\(/, 'before', 0],
    [
      'the second removal of an old row, its answer lost',
      /^DELETE [^ ]*Participants\(/,
      'after',
      1,
    ],
  ] as const) {
    it(`when the migration is cut off at ${what}, then the next run finishes it and nothing is doubled`, async () => {
      const world = await legacyWorld();
      const proxy = await startStorageProxy(world.connectionString);
      proxies.push(proxy);
      const viaProxy = createTableStore(
        { kind: 'connectionString', connectionString: proxy.connectionString },
        world.prefix,
      );
      void proxy.cutOnce(pattern, when, skip).then(() => proxy.cut());
      await expect(world.open(viaProxy).migrateAll()).rejects.toBeDefined();
      // The next run completes (rows migrating in parallel may all have moved already).
      await expect(world.open().migrateAll()).resolves.toBeTypeOf('number');
      await expectMigrated(world);
    });
  }

  it('when an old participant has more history than one transaction holds, then it moves in parts and reads whole', async () => {
    const world = await legacyWorld(230);
    const repo = world.open();
    const a = (await repo.get('D-2026-0001'))!.value;
    expect(a.eventCount).toBe(235);
    await expectMigrated(world, 230);
  });
});

describe('headers of the first aggregate release', () => {
  it('when a header was written as version 1, then it reads through the upcaster and the next change writes version 2', async () => {
    const world = await legacyWorld();
    const repo = world.open();
    await repo.migrateAll();
    const header = await world.participants.getEntity<Record<string, unknown>>(
      'norra',
      'h|D-2026-0003',
    );
    const { etag: _etag, timestamp: _timestamp, lastContactOn: _contact, ...v2 } = header;
    await world.participants.updateEntity(
      { ...v2, _v: 1, lastFollowUpOn: '2026-10-22' } as never,
      'Replace',
    );
    const read = (await world.open().get('D-2026-0003'))!;
    expect(read.value).toMatchObject({ lastContactOn: '2026-10-22', lastFollowUpOn: '2026-10-22' });

    const change: ParticipantChange = {
      participant: { ...read.value, eventCount: read.value.eventCount + 1 },
      version: read.version,
      events: [
        {
          id: 'req-c-0009',
          seq: read.value.eventCount,
          code: 'D-2026-0003',
          kind: 'deviation',
          deviation: 'uteblivet',
          on: '2026-11-01',
          recordedBy: '29:leila',
          recordedAt: CLOCK.toISOString(),
        },
      ],
      outcomes: [],
      audit: [
        {
          at: CLOCK.toISOString(),
          actorId: '29:leila',
          action: 'participants.deviation',
          subjectType: 'participant',
          subjectId: 'D-2026-0003',
        },
      ],
      requestKey: 'deviation|req-c-0009',
    };
    expect((await world.open().commit(change)).kind).toBe('committed');
    const after = await world.participants.getEntity<Record<string, unknown>>(
      'norra',
      'h|D-2026-0003',
    );
    expect(after._v).toBe(2);
  });
});

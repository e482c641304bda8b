import { odata } from '@azure/data-tables';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParticipantChange } from '../../src/participants/participants.repository.js';
import { createTableStore } from '../../src/storage/table-store.js';
import {
  at,
  LEGACY_CLOCK as CLOCK,
  legacyWorld,
  type LegacyWorld,
} from '../support/legacy-participants.js';
import { startStorageProxy, type StorageProxy } from '../support/storage-proxy.js';

/**
 * Participants stored by the previous release, written here raw in that release's layout (table
 * `participants` with the step list as JSON on the row, table `participantEvents` one partition
 * per code, table `participantKeys` with the yearly counter and the code and request indexes),
 * read through today's register: moved into the aggregate rows on first read, once, however
 * often or wherever the migration runs, and finished when it was cut off half way.
 */
const proxies: StorageProxy[] = [];
afterAll(async () => {
  for (const proxy of proxies) await proxy.stop();
});

/** What must hold once the migration is done, however it got there. */
async function expectMigrated(world: LegacyWorld, extraEvents = 0) {
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

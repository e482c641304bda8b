import { createHash, randomUUID } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { requireCase } from '../../src/cases/case-change.js';
import { moveCase } from '../../src/cases/use-cases/move-case.js';
import { submitCase } from '../../src/cases/use-cases/submit-case.js';
import { auditTable } from '../../src/storage/audit-table.js';
import { upcastLegacyCase } from '../../src/storage/case-legacy.js';
import { caseTables } from '../../src/storage/case-tables.js';
import { encodeKey } from '../../src/storage/keys.js';
import type { TableStore } from '../../src/storage/table-store.js';
import {
  countingStore,
  fk,
  meetingsOf,
  samordnare,
  slot,
  testClock,
} from '../support/case-fixtures.js';
import { startStorageProxy, type StorageProxy } from '../support/storage-proxy.js';

const conversation = '19:gammal@thread.tacv2';
const plan = {
  meetingId: 'psykiatri-test',
  date: '2026-12-08',
  meetingName: 'Psykiatri-avstämning',
  startsAt: '2026-12-08T08:00:00.000Z',
};
const event = (i: number) => ({
  at: new Date(Date.UTC(2025, 5, 1, 8, i)).toISOString(),
  by: '29:anna',
  from: 'planerad',
  to: 'planerad',
  note: 'moved',
  date: '2026-12-08',
});
const decision = (i: number) => ({
  id: `beslut-${i}`,
  outcome: 'aterremiss',
  motivation: `Behöver mer underlag ${i} – ”citat” 😀`,
  decidedBy: '29:anna',
  decidedByName: 'Anna Samordnare',
  at: '2025-06-02T08:00:00.000Z',
  present: ['region'],
  referrerPresent: false,
});

/** A case row exactly as the one-row shape stored it: lists as JSON text. */
function legacyRow(number: string, extra: Record<string, unknown>) {
  return {
    partitionKey: 'A-2025',
    rowKey: number,
    code: `Ä-2025-${number}`,
    conversationId: conversation,
    organisationId: 'fk',
    submittedBy: '29:erik',
    submittedAt: '2025-06-01T08:00:00.000Z',
    requestId: `req-legacy-${number}`,
    reason: 'Gammalt ärende – ”åäö” 😀\nrad två',
    request: 'insats',
    insats: 'Sikta mot arbetslivet',
    urgency: 'skyndsam',
    consent: true,
    updatedAt: '2025-06-03T08:00:00.000Z',
    ...extra,
  };
}

/** Two cases in today's shape: one planned with a long history, one closed with a decision. */
async function seedLegacy(store: TableStore) {
  const open = legacyRow('0007', {
    status: 'planerad',
    plan: JSON.stringify(plan),
    decisions: JSON.stringify(Array.from({ length: 20 }, (_, i) => decision(i + 1))),
    history: JSON.stringify(Array.from({ length: 100 }, (_, i) => event(i))),
  });
  const closed = legacyRow('0008', {
    status: 'avslutad',
    closedAt: '2025-06-20T08:00:00.000Z',
    decisions: JSON.stringify([{ ...decision(1), outcome: 'avslag' }]),
    history: JSON.stringify([{ ...event(0), from: undefined, to: 'inkommen', note: 'submitted' }]),
  });
  await store.client('cases').createEntity(open);
  await store.client('cases').createEntity(closed);
  await store.client('caseQueue').createEntity({
    partitionKey: `open|${encodeKey(conversation)}`,
    rowKey: 'A-2025-0007',
    code: 'Ä-2025-0007',
  });
  const index = store.client('caseIndex');
  await index.createEntity({ partitionKey: 'counter', rowKey: '2025', year: 2025, last: 8 });
  await index.createEntity({
    partitionKey: 'closed|2025-06',
    rowKey: 'A-2025-0008',
    code: 'Ä-2025-0008',
  });
  const requestKey = createHash('sha256').update('req-legacy-0007').digest('hex').slice(0, 32);
  await index.createEntity({ partitionKey: 'request', rowKey: requestKey, code: 'Ä-2025-0007' });
  const audit = auditTable(store);
  for (let i = 0; i < 30; i++) {
    await audit.append({
      at: new Date(Date.UTC(2025, 5, 1, 9, i)).toISOString(),
      actorId: '29:anna',
      action: i === 0 ? 'cases.submit' : 'cases.view',
      subjectType: 'case',
      subjectId: 'Ä-2025-0007',
    });
  }
}

async function count(
  store: TableStore,
  table: 'cases' | 'caseQueue' | 'caseIndex',
  filter: string,
) {
  let n = 0;
  for await (const _ of store.client(table).listEntities({ queryOptions: { filter } })) n++;
  return n;
}

const proxies: StorageProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
});

describe('cases stored in the earlier one-row shape', () => {
  it('when a row in today’s shape is upcast, then every field, list entry and text comes through unchanged', () => {
    const row = legacyRow('0007', {
      status: 'planerad',
      plan: JSON.stringify(plan),
      decisions: JSON.stringify([decision(1)]),
      history: JSON.stringify([event(0), event(1)]),
      etag: 'W/"x"',
      timestamp: '2025-06-03T08:00:00.000Z',
    });
    const { value, events, decisions } = upcastLegacyCase(row);
    expect(value).toMatchObject({
      code: 'Ä-2025-0007',
      reason: 'Gammalt ärende – ”åäö” 😀\nrad två',
      plan,
      revision: 1,
      historyCount: 2,
      decisionCount: 1,
    });
    expect(events).toHaveLength(2);
    expect(decisions[0]?.motivation).toBe('Behöver mer underlag 1 – ”citat” 😀');
  });

  it('when the bot starts on a store with cases in today’s shape, then they are moved into aggregates, listed, readable with history, decisions and log, and numbering goes on', async () => {
    const clock = testClock('2025-11-01T08:00:00Z');
    const { store: tables } = countingStore();
    await tables.ensureTables();
    await seedLegacy(tables);
    const store = caseTables(tables, clock.now, { verifyDelayMs: 50 });
    expect(await store.migrateLegacy()).toBe(2);
    expect(await store.migrateLegacy()).toBe(0);

    const { value, decisions } = await requireCase(store, 'Ä-2025-0007');
    expect(value).toMatchObject({ status: 'planerad', historyCount: 100, decisionCount: 20 });
    expect(decisions).toHaveLength(20);
    const page = await store.history('Ä-2025-0007', { before: 101, limit: 3 });
    expect(page.entries.map((e) => e.seq)).toEqual([100, 99, 98]);
    const log = await store.log('Ä-2025-0007', { limit: 50 });
    expect(log.entries).toHaveLength(30);
    expect(log.entries.at(-1)?.action).toBe('cases.submit');
    expect((await store.open(conversation)).map((c) => c.code)).toEqual(['Ä-2025-0007']);
    expect((await store.closedBefore('2025-07')).map((c) => [c.code, c.outcome])).toEqual([
      ['Ä-2025-0008', 'avslag'],
    ]);

    expect(await count(tables, 'cases', odata`RowKey lt ${'a'}`)).toBe(0);
    expect(await count(tables, 'caseQueue', odata`PartitionKey ge ${'open|'}`)).toBe(0);
    expect(await count(tables, 'caseIndex', odata`PartitionKey ne ${'counter'}`)).toBe(0);

    const deps = {
      store,
      meetings: {
        upcoming: async () => [],
        occurrence: async () => undefined,
      },
      people: { namesWithRole: async () => [] },
      now: clock.now,
    };
    const next = await submitCase(deps, fk, conversation, {
      requestId: randomUUID(),
      reason: 'Nytt',
      request: 'arbetstraning',
      urgency: 'normal',
      consent: true,
    });
    expect(next.snapshot.value.code).toBe('Ä-2025-0009');
  });

  it('when the migration is cut off half way, then the next start finishes it without doubling anything', async () => {
    const proxy = await startStorageProxy(inject('tableConnectionString'));
    proxies.push(proxy);
    const clock = testClock('2025-11-01T08:00:00Z');
    const broken = countingStore(proxy.connectionString);
    await broken.store.ensureTables();
    await seedLegacy(broken.store);
    const cut = proxy.cutOnce(/\$batch/, 'after');
    void cut.then(() => proxy.cut());
    const first = await caseTables(broken.store, clock.now, { verifyDelayMs: 50 })
      .migrateLegacy()
      .catch((error: unknown) => error);
    expect(first).toBeInstanceOf(Error);

    const { store: tables } = countingStore(undefined, broken.prefix);
    const store = caseTables(tables, clock.now, { verifyDelayMs: 50 });
    expect(await store.migrateLegacy()).toBe(2);
    const { value, decisions } = await requireCase(store, 'Ä-2025-0007');
    expect([value.historyCount, decisions.length]).toEqual([100, 20]);
    const history = await store.history('Ä-2025-0007', { before: 101, limit: 200 });
    expect(history.entries).toHaveLength(100);
    expect((await store.log('Ä-2025-0007', { limit: 100 })).entries).toHaveLength(30);
    expect(await store.open(conversation)).toHaveLength(1);
  });

  it('when a migrated case changes, then its queue line moves with it like any other case', async () => {
    const clock = testClock('2025-11-01T08:00:00Z');
    const { store: tables } = countingStore();
    await tables.ensureTables();
    await seedLegacy(tables);
    const store = caseTables(tables, clock.now, { verifyDelayMs: 50 });
    await store.migrateLegacy();
    const deps = {
      store,
      meetings: meetingsOf([slot('2026-12-08'), slot('2027-01-12')], clock.now),
      people: { namesWithRole: async () => [] },
      now: clock.now,
    };
    const moved = await moveCase(deps, samordnare, {
      code: 'Ä-2025-0007',
      date: '2027-01-12',
      key: randomUUID(),
    });
    expect(moved.snapshot.value).toMatchObject({ revision: 2, historyCount: 101 });
    expect((await store.open(conversation)).map((c) => [c.code, c.plan?.date])).toEqual([
      ['Ä-2025-0007', '2027-01-12'],
    ]);
  });
});

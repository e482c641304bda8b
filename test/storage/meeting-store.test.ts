import { describe, expect, it } from 'vitest';
import { encodeKey } from '../../src/storage/keys.js';
import { checkMeetingRow, meetingStore } from '../../src/storage/meeting-store.js';
import { SeriesState } from '../../src/meetings/series/series-state.js';
import { storeFor } from '../support/table-snapshot.js';
import { uniquePrefix } from '../support/test-bot.js';
import type { TableStore } from '../../src/storage/table-store.js';

/**
 * Rows exactly as the bot wrote them before series became aggregates (the old repositories'
 * keys, JSON fields as strings), read through today's store: upcast and moved into the
 * aggregate once, with nothing lost and nothing doubled.
 */
const channel = '19:gammal-kanal@thread.tacv2';
const meetingId = 'referensgrupp-sikta-a1b2c3';
const now = new Date('2026-12-01T08:00:00Z');
async function freshStore() {
  const store = storeFor(uniquePrefix());
  await store.ensureTables();
  return store;
}

const item = (n: number, extra: Record<string, unknown> = {}) => ({
  id: n === 2 ? `carried${n}~` : `item${n}abcdefghij`,
  title: `Punkt ${n} – åäö 😀 "citat"`,
  description: 'Rad ett\nrad två',
  category: 'fraga',
  presenter: 'Erik',
  minutes: 10,
  organisationId: 'fk',
  authorId: '29:erik',
  authorName: 'Erik Försäkringskassan',
  createdAt: '2026-11-20T10:00:00.000Z',
  late: false,
  status: 'active',
  order: n,
  handled: n === 1,
  ...(n === 1 ? { notes: 'Genomgång av mallen.' } : {}),
  ...extra,
});

/** Writes one old series the way the old repositories did. */
async function writeOldSeries(
  store: TableStore,
  options: { items?: number; decisions?: number } = {},
) {
  const schedule = {
    startDate: '2026-11-20',
    time: '09:00',
    durationMinutes: 90,
    recurrence: { kind: 'dates', dates: ['2026-12-08', '2027-01-12', '2027-02-09'] },
    holidayPolicy: 'keep',
    exceptions: [{ action: 'cancel', date: '2027-02-09' }],
  };
  await store.client('meetings').createEntity({
    partitionKey: encodeKey(channel),
    rowKey: meetingId,
    id: meetingId,
    conversationId: channel,
    type: 'referensgrupp',
    name: 'Referensgrupp Sikta',
    schedule: JSON.stringify(schedule),
    place: 'Teams',
    organisations: JSON.stringify(['fk', 'region']),
    offsets: JSON.stringify({ callDays: 7, deadlineDays: 2, agendaDays: 1 }),
    createdBy: '29:anna',
    createdAt: '2026-11-20T09:00:00.000Z',
  });
  const items = Array.from({ length: options.items ?? 3 }, (_, i) => item(i + 1));
  await store.client('occurrences').createEntity({
    partitionKey: meetingId,
    rowKey: '2026-12-08',
    meetingId,
    date: '2026-12-08',
    startsAt: '2026-12-08T08:00:00.000Z',
    durationMinutes: 90,
    state: 'planned',
    items: JSON.stringify(items),
    attendance: JSON.stringify(['fk']),
    updatedAt: '2026-11-30T10:00:00.000Z',
  });
  for (let d = 0; d < (options.decisions ?? 1); d++) {
    await store.client('decisions').createEntity({
      partitionKey: `${meetingId}|2026-12-08`,
      rowKey: `decision${String(d).padStart(3, '0')}abc`,
      id: `decision${String(d).padStart(3, '0')}abc`,
      meetingId,
      date: '2026-12-08',
      itemId: 'item1abcdefghij',
      itemTitle: 'Punkt 1',
      text: `Beslut ${d}: mallen används.`,
      decidedBy: '29:anna',
      decidedByName: 'Anna Samordnare',
      at: `2026-12-08T08:${String(d % 60).padStart(2, '0')}:00.000Z`,
    });
  }
  await store.client('actionItems').createEntity({
    partitionKey: encodeKey(channel),
    rowKey: `${meetingId}.2026-12-08.taskkey123456789`,
    id: `${meetingId}.2026-12-08.taskkey123456789`,
    conversationId: channel,
    meetingId,
    date: '2026-12-08',
    itemTitle: 'Punkt 1',
    what: 'Skicka ut mallen',
    ownerId: '29:erik',
    ownerName: 'Erik Försäkringskassan',
    dueDate: '2026-12-15',
    done: false,
    createdBy: '29:anna',
    createdAt: '2026-12-08T08:10:00.000Z',
  });
}

const window = { headsFrom: '2026-11-01', elements: { from: '2026-12-08', to: '2026-12-08' } };

describe('a series stored in the old shape', () => {
  it('when it is read, then its series, agenda, decisions, action items and exceptions come back in today’s shape', async () => {
    const store = await freshStore();
    await writeOldSeries(store);
    const repo = meetingStore(store, { now: () => now });
    const rows = await repo.load({ conversationId: channel, meetingId }, window);
    expect(rows).toBeDefined();
    const state = new SeriesState(rows!, now);
    expect(state.series).toMatchObject({ name: 'Referensgrupp Sikta', stepDays: 'keep' });
    const occurrence = state.occurrence('2026-12-08')!;
    expect(occurrence.items.map((i) => i.title)).toEqual([
      'Punkt 1 – åäö 😀 "citat"',
      'Punkt 2 – åäö 😀 "citat"',
      'Punkt 3 – åäö 😀 "citat"',
    ]);
    expect(occurrence.items[0]!.notes).toBe('Genomgång av mallen.');
    expect(occurrence.items[1]!.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(occurrence.attendance).toEqual(['fk']);
    expect(occurrence.header.nextOrder).toBe(4);
    expect(occurrence.decisions.map((d) => d.text)).toEqual(['Beslut 0: mallen används.']);
    expect(occurrence.actions).toMatchObject([
      { id: 'taskkey123456789', what: 'Skicka ut mallen' },
    ]);
    expect(state.planned('2026-11-01').map((o) => [o.key, o.status])).toEqual([
      ['2026-12-08', 'planned'],
      ['2027-01-12', 'planned'],
      ['2027-02-09', 'cancelled'],
    ]);
    const audit = await repo.audit(meetingId);
    expect(audit.every((entry) => entry.action === 'meetings.migrate')).toBe(true);
    expect(audit.length).toBeGreaterThan(0);
  });

  it('when it is read again and by two instances at once, then nothing is migrated twice', async () => {
    const store = await freshStore();
    await writeOldSeries(store);
    const ref = { conversationId: channel, meetingId };
    const [a, b] = [
      meetingStore(store, { now: () => now }),
      meetingStore(store, { now: () => now }),
    ];
    await Promise.all([a.load(ref, window), b.load(ref, window)]);
    const once = await a.audit(meetingId);
    await a.load(ref, window);
    const rows = await a.elements(meetingId, '2026-12-08', '2026-12-08');
    expect(rows.filter((r) => r.value.row === 'item')).toHaveLength(3);
    expect(rows.filter((r) => r.value.row === 'decision')).toHaveLength(1);
    expect(await a.audit(meetingId)).toHaveLength(once.length);
  });

  it('when an old meeting holds 40 items and 80 decisions, then it moves in transactions of at most 100 rows and all arrive', async () => {
    const store = await freshStore();
    await writeOldSeries(store, { items: 40, decisions: 80 });
    const repo = meetingStore(store, { now: () => now });
    const rows = await repo.load({ conversationId: channel, meetingId }, window);
    const state = new SeriesState(rows!, now);
    const occurrence = state.occurrence('2026-12-08')!;
    expect(occurrence.items).toHaveLength(40);
    expect(occurrence.decisions).toHaveLength(80);
    expect(occurrence.actions).toHaveLength(1);
  });

  it('when an owner lists open action items before and after the series moved, then each item is listed once, and once done it is gone', async () => {
    const store = await freshStore();
    await writeOldSeries(store);
    const repo = meetingStore(store, { now: () => now });
    expect((await repo.actionsOwnedBy('29:erik')).map((a) => a.what)).toEqual(['Skicka ut mallen']);
    const rows = await repo.load({ conversationId: channel, meetingId }, window);
    expect((await repo.actionsOwnedBy('29:erik')).map((a) => a.what)).toEqual(['Skicka ut mallen']);
    expect((await repo.openActionsIn(channel)).map((a) => a.what)).toEqual(['Skicka ut mallen']);
    const action = rows!.elements.find((row) => row.value.row === 'action')!;
    await repo.commit(meetingId, {
      writes: [
        {
          op: 'replace',
          row: 'element',
          value: { ...action.value, done: true } as typeof action.value,
          etag: action.etag,
        },
      ],
      audit: [],
      marker: { key: 'done-in-test' },
    });
    expect(await repo.actionsOwnedBy('29:erik')).toEqual([]);
    expect(await repo.openActionsIn(channel)).toEqual([]);
  });

  it('when every row of a migrated series is checked, then each parses as its kind', async () => {
    const store = await freshStore();
    await writeOldSeries(store);
    await meetingStore(store, { now: () => now }).load(
      { conversationId: channel, meetingId },
      window,
    );
    let rows = 0;
    for await (const row of store.client('occurrences').listEntities<Record<string, unknown>>()) {
      checkMeetingRow(row);
      rows++;
    }
    expect(rows).toBeGreaterThan(8);
  });

  it('when a series is asked for from another channel, then it is not found', async () => {
    const store = await freshStore();
    await writeOldSeries(store);
    const repo = meetingStore(store, { now: () => now });
    await repo.load({ conversationId: channel, meetingId }, window);
    expect(await repo.load({ conversationId: '19:annan@thread.tacv2', meetingId }, window)).toBe(
      undefined,
    );
  });
});

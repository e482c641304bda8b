import { newId } from '../../src/ids.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, MAX_ITEMS } from '../../src/meetings/meetings.schema.js';
import { actionReminderIdOf } from '../../src/meetings/reminders/meeting-reminders.js';
import { meetingStore } from '../../src/storage/meeting-store.js';
import { reminderTable } from '../../src/storage/reminder-table.js';
import { cardAction, message, TENANT_ID, users, type TestUser } from '../support/activities.js';
import { actionData, allActionData } from '../support/card-actions.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { storedMeeting } from '../support/meeting-setup.js';
import { CARD_BUDGET_BYTES, cardBytes, fullItem, maxText } from '../support/meeting-limits.js';
import { storeFor } from '../support/table-snapshot.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { grantRoles } from '../support/grant-roles.js';

/**
 * Meetings filled to the maximum their forms allow, with å/ä/ö, emoji, quotes and line breaks:
 * every write succeeds, every card the bot sends or answers with stays within the 40 KB budget
 * (measured on the real rendered JSON), and closing a full meeting carries its items over
 * within the 40-item cap in one transaction.
 */
const { anna, erik } = users;
const clock = new Date('2026-12-01T08:00:00Z');
const dates = ['2027-02-02', '2027-02-09', '2027-02-16'];
let connector: FakeConnector;
let bot: TestBot;

beforeAll(async () => {
  connector = await new FakeConnector().start();
  bot = await startTestBot(
    { ALLOWED_TENANT_IDS: TENANT_ID, BOOTSTRAP_ADMIN_IDS: anna.aadObjectId },
    { now: () => clock },
  );
  for (const user of [anna, erik]) {
    await bot.post(message('/hjälp', { serviceUrl: connector.url, from: user }));
  }
  await grantRoles(bot, connector.url, [
    [erik, 'representant fk'],
    [anna, 'samordnare forbundskansliet'],
  ]);
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
});

/** A channel of its own for each test, with a series of three meetings in it. */
async function seriesIn(channel: string) {
  const where = { kind: 'channel' as const, conversationId: channel };
  const click = async (verb: string, data: Record<string, unknown>, from: TestUser = anna) => {
    const response = await bot.post(
      cardAction(verb, data, { serviceUrl: connector.url, from, where }),
    );
    await bot.idle();
    expect(response.status).toBe(200);
    return (response.body as { value: Record<string, unknown> }).value;
  };
  const created = await click('meeting.create', {
    requestId: newId(),
    type: 'referensgrupp',
    name: maxText(LIMITS.seriesName, 'Referensgrupp'),
    recurrence: 'dates',
    dates: dates.join(', '),
    startDate: '2026-12-01',
    time: '09:00',
    duration: '600',
    place: maxText(LIMITS.place, 'Plats'),
    organisations: 'fk,region',
  });
  expect(cardText(created)).toContain('är skapad');
  const { meetingId } = actionData(created, 'agenda.open') as { meetingId: string };
  const refs = dates.map((date) => ({ meetingId, date }));
  const fill = async (ref: (typeof refs)[number], count: number, from: TestUser = erik) => {
    const cards: Record<string, unknown>[] = [];
    for (let n = 1; n <= count; n++) {
      const card = await click('agenda.add', fullItem(ref, n), from);
      expect(cardText(card)).toContain('är tillagd');
      cards.push(card);
    }
    return cards;
  };
  const record = (ref: (typeof refs)[number], itemId: string, n: number) =>
    click('meeting.recordItem', {
      ...ref,
      itemId,
      requestId: newId(),
      notes: maxText(LIMITS.notes, `Anteckning ${n}`),
      decision: maxText(LIMITS.decision, `Beslut ${n}`),
      actionWhat: maxText(LIMITS.actionWhat, `Uppgift ${n}`),
      actionOwner: erik.id,
      actionDue: '2027-03-15',
    });
  const itemIds = async (ref: (typeof refs)[number]) =>
    (await storedMeeting(storeFor(bot.tablePrefix), ref)).items
      .sort((a, b) => a.order - b.order)
      .map((item) => item.id);
  return { refs, click, fill, record, itemIds, where };
}

const withinBudget = (card: unknown) => {
  expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
  return cardBytes(card);
};

describe('a meeting filled to the limits of its forms', () => {
  it(
    'when 40 items at the maximum lengths are added and edited, then every write succeeds, the 41st is refused as full, and every agenda card stays within 40 KB',
    { timeout: 120_000 },
    async () => {
      const { refs, click, fill, itemIds } = await seriesIn('19:gransen-dagordning@thread.tacv2');
      const [ref] = refs as [(typeof refs)[number]];
      const answers = await fill(ref, MAX_ITEMS);
      const sizes = answers.map(withinBudget);
      const full = await click('agenda.add', fullItem(ref, 41), erik);
      expect(cardText(full)).toContain('Dagordningen är full (högst 40 punkter).');

      const agenda = await click('agenda.open', ref);
      withinBudget(agenda);
      expect(cardText(agenda)).toContain('40 punkter');
      const next = allActionData(agenda, 'agenda.open').find((d) => d.start !== undefined);
      expect(next).toBeDefined();
      const later = await click('agenda.open', next!);
      withinBudget(later);
      expect(cardText(later)).toMatch(/§ 40 Punkt 40/);

      const ids = await itemIds(ref);
      expect(ids).toHaveLength(MAX_ITEMS);
      const manage = await click('agenda.manage', { ...ref, itemId: ids[39] }, erik);
      withinBudget(manage);
      expect(cardText(manage)).toContain(maxText(LIMITS.itemDescription, 'Beskrivning 40'));

      for (const [index, itemId] of ids.entries()) {
        const form = await click('agenda.editForm', { ...ref, itemId }, erik);
        withinBudget(form);
        const edited = await click(
          'agenda.edit',
          { ...fullItem(ref, index + 100), itemId, requestId: undefined },
          erik,
        );
        withinBudget(edited);
        expect(cardText(edited)).toContain('är ändrad');
      }
      const stored = await storedMeeting(storeFor(bot.tablePrefix), ref);
      expect(stored.items.map((i) => i.title.slice(0, 9)).sort()).toEqual(
        ids.map((_, n) => `Punkt ${n + 100}`.slice(0, 9)).sort(),
      );

      connector.clear();
      const final = await click('agenda.final', ref);
      expect(cardText(final)).toContain('Dagordningen är skickad till kanalen.');
      const posted = connector.received.filter((r) => r.method === 'POST');
      expect(posted).toHaveLength(1);
      withinBudget(cardOf(posted[0]));
      expect(cardText(cardOf(posted[0]))).toContain('§ 40');
      process.stdout.write(
        `full agenda: largest answer ${Math.max(...sizes)} bytes, dagordning ${cardBytes(cardOf(posted[0]))} bytes\n`,
      );
    },
  );

  it(
    'when every item of a full meeting gets notes, a decision and an action item at their maximum lengths, then every save succeeds, each action item has a reminder that fits, and the meeting and minutes cards stay within 40 KB',
    { timeout: 120_000 },
    async () => {
      const { refs, click, fill, record, itemIds } = await seriesIn(
        '19:gransen-protokoll@thread.tacv2',
      );
      const [ref] = refs as [(typeof refs)[number]];
      await fill(ref, MAX_ITEMS, anna);
      const ids = await itemIds(ref);
      const form = await click('meeting.recordForm', { ...ref, itemId: ids[0] });
      withinBudget(form);
      for (const [index, itemId] of ids.entries()) {
        const card = await record(ref, itemId, index + 1);
        withinBudget(card);
        expect(cardText(card)).toContain('Punkten är sparad.');
      }
      const run = await click('meeting.run', ref);
      withinBudget(run);
      const stored = await storedMeeting(storeFor(bot.tablePrefix), ref);
      expect(stored.decisions).toHaveLength(MAX_ITEMS);
      expect(stored.actions).toHaveLength(MAX_ITEMS);

      // Each reminder's title is the task cut to the 200 characters a title holds; the whole
      // task is in its text.
      const all = await remindersOf(bot, `a:personal-${erik.id}`);
      expect(all).toHaveLength(MAX_ITEMS);
      for (const action of stored.actions) {
        const reminder = all.find((r) => r.id === actionReminderIdOf(action));
        expect(reminder?.title.length).toBeLessThanOrEqual(200);
        expect(reminder?.title.endsWith('…')).toBe(true);
        expect(reminder?.text).toContain(action.what);
        expect(reminder?.dueAt).toBe('2027-03-12T08:00:00.000Z');
      }

      connector.clear();
      const minutes = await click('meeting.close', ref);
      withinBudget(minutes);
      const posted = connector.received.filter(
        (r) => r.method === 'POST' && r.conversationId === '19:gransen-protokoll@thread.tacv2',
      );
      expect(posted).toHaveLength(1);
      withinBudget(cardOf(posted[0]));
      const markdown = connector.messages(`a:personal-${anna.id}`);
      expect(markdown.length).toBeGreaterThan(1);
      for (const part of markdown) expect(cardBytes(part.body)).toBeLessThan(40 * 1024);
      expect(markdown.map((m) => m.body.text).join('\n')).toContain(
        maxText(LIMITS.notes, 'Anteckning 40'),
      );
    },
  );

  it(
    'when a full meeting with 20 unhandled items is closed and the next agenda has 30 items, then 10 move over, the other 10 are named, and the next agenda holds 40',
    { timeout: 120_000 },
    async () => {
      const { refs, click, fill, record, itemIds } = await seriesIn(
        '19:gransen-flytt@thread.tacv2',
      );
      const [first, second] = refs as [(typeof refs)[number], (typeof refs)[number]];
      await fill(first, MAX_ITEMS, anna);
      await fill(second, 30, anna);
      const ids = await itemIds(first);
      for (const [index, itemId] of ids.slice(0, 20).entries()) await record(first, itemId, index);
      const closed = await click('meeting.close', first);
      withinBudget(closed);
      const text = cardText(closed);
      expect(text).toContain(`Punkter som inte behandlades är flyttade till mötet ${second.date}.`);
      expect(text).toContain(
        `10 punkter fick inte plats på mötet ${second.date} (högst 40 punkter)`,
      );
      expect(text).toContain(`Fick inte plats på mötet ${second.date} (högst 40 punkter)`);
      const store = storeFor(bot.tablePrefix);
      const next = await storedMeeting(store, second);
      expect(next.items).toHaveLength(MAX_ITEMS);
      expect(next.items.filter((i) => i.carriedOverFrom === first.date)).toHaveLength(10);
      const before = await storedMeeting(store, first);
      expect(before.items.filter((i) => i.status === 'deferred')).toHaveLength(10);
      expect(before.items.filter((i) => i.status === 'active' && !i.handled)).toHaveLength(10);
      const audit = await auditOf(bot, first.meetingId);
      expect(audit.filter((a) => a.action === 'meetings.close')).toHaveLength(1);
    },
  );

  it(
    'when a meeting with 40 unhandled items is closed and the next agenda is empty, then all 40 move over in the one close',
    { timeout: 120_000 },
    async () => {
      const { refs, click, fill } = await seriesIn('19:gransen-alla@thread.tacv2');
      const [first, second] = refs as [(typeof refs)[number], (typeof refs)[number]];
      await fill(first, MAX_ITEMS, anna);
      const closed = await click('meeting.close', first);
      expect(cardText(closed)).toContain(`flyttade till mötet ${second.date}`);
      const next = await storedMeeting(storeFor(bot.tablePrefix), second);
      expect(next.items).toHaveLength(MAX_ITEMS);
      expect(next.items.every((i) => i.carriedOverFrom === first.date)).toBe(true);
      const agenda = await click('agenda.open', second);
      withinBudget(agenda);
    },
  );
});

async function remindersOf(app: TestBot, conversationId: string) {
  return reminderTable(storeFor(app.tablePrefix)).forConversation(
    conversationId,
    new Date('2027-01-01T00:00:00Z'),
    new Date('2027-04-01T00:00:00Z'),
  );
}

async function auditOf(app: TestBot, meetingId: string) {
  return meetingStore(storeFor(app.tablePrefix)).audit(meetingId);
}

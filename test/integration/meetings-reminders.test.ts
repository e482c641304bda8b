import { newId } from '../../src/ids.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actionReminderIdOf,
  reminderIdOf,
} from '../../src/meetings/reminders/meeting-reminders.js';
import { elementIdFor } from '../../src/meetings/series/rules.js';
import { reminderTable } from '../../src/storage/reminder-table.js';
import { cardAction, message, TENANT_ID, users, type TestUser } from '../support/activities.js';
import { actionData } from '../support/card-actions.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { storedMeeting } from '../support/meeting-setup.js';
import { storeFor } from '../support/table-snapshot.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { grantRoles } from '../support/grant-roles.js';

/**
 * What a meeting derives after its transaction: the reminders before each meeting, a kallelse
 * whose time passed before the series existed, and each action item's reminder. The aggregate
 * is the truth; the periodic reconciliation repairs a derived reminder that a crash left out.
 */
const { anna, erik } = users;
const clock = new Date('2026-12-01T08:00:00Z');
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

const clickIn =
  (channel: string) =>
  async (verb: string, data: Record<string, unknown>, from: TestUser = anna) => {
    const response = await bot.post(
      cardAction(verb, data, {
        serviceUrl: connector.url,
        from,
        where: { kind: 'channel', conversationId: channel },
      }),
    );
    await bot.idle();
    expect(response.status).toBe(200);
    return (response.body as { value: Record<string, unknown> }).value;
  };

const series = (dates: string, extra: Record<string, unknown> = {}) => ({
  requestId: newId(),
  type: 'referensgrupp',
  name: 'Referensgrupp påminnelser',
  recurrence: 'dates',
  dates,
  startDate: '2026-12-01',
  time: '09:00',
  place: 'Teams',
  organisations: 'fk',
  ...extra,
});

const stored = (channel: string) =>
  reminderTable(storeFor(bot.tablePrefix)).forConversation(
    channel,
    new Date('2026-11-01T00:00:00Z'),
    new Date('2027-06-01T00:00:00Z'),
  );

describe('a kallelse whose time passed before the series existed', () => {
  it('when a series is created after its first kallelse should have gone out, then the kallelse is sent at once, once, and the samordnare is told', async () => {
    const channel = '19:sen-kallelse@thread.tacv2';
    const click = clickIn(channel);
    connector.clear();
    const created = await click('meeting.create', series('2026-12-04, 2027-01-15'));
    expect(cardText(created)).toContain(
      'Kallelsen till mötet 2026-12-04 skulle ha skickats fredag 27 november kl. 09:00, innan serien fanns. Den skickas till kanalen nu.',
    );
    const kallelser = () =>
      connector
        .messages(channel)
        .filter((m) => m.method === 'POST' && cardText(cardOf(m)).includes('Kallelse ·'));
    expect(kallelser()).toHaveLength(1);
    expect(actionData(cardOf(kallelser()[0]), 'agenda.add')).toMatchObject({ date: '2026-12-04' });
    await bot.scheduler.tick();
    await bot.idle();
    expect(kallelser()).toHaveLength(1);
  });

  it('when a series is created before its first kallelse is due, then nothing is sent early and nothing is said about it', async () => {
    const channel = '19:i-tid@thread.tacv2';
    connector.clear();
    const created = await clickIn(channel)('meeting.create', series('2027-01-15'));
    expect(cardText(created)).not.toContain('skulle ha skickats');
    expect(connector.messages(channel)).toHaveLength(0);
  });
});

describe('derived reminders repaired by the periodic reconciliation', () => {
  it('when an action item’s reminder and a meeting’s kallelse are missing (a crash after the commit), then reconciliation plans them again, with the same ids and times', async () => {
    const channel = '19:reparera@thread.tacv2';
    const click = clickIn(channel);
    const created = await click('meeting.create', series('2026-12-15, 2027-01-19'));
    const { meetingId } = actionData(created, 'agenda.open') as { meetingId: string };
    const ref = { meetingId, date: '2026-12-15' };
    const add = newId();
    await click('agenda.add', { ...ref, requestId: add, title: 'Punkt', category: 'fraga' });
    await click('meeting.recordItem', {
      ...ref,
      itemId: elementIdFor(anna.id, add),
      requestId: newId(),
      actionWhat: 'Skicka ut mallen',
      actionOwner: erik.id,
      actionDue: '2026-12-28',
    });
    const [action] = (await storedMeeting(storeFor(bot.tablePrefix), ref)).actions;
    const reminders = reminderTable(storeFor(bot.tablePrefix));
    const personal = await reminders.forConversation(
      `a:personal-${erik.id}`,
      new Date('2026-12-01T00:00:00Z'),
      new Date('2027-01-01T00:00:00Z'),
    );
    const task = personal.find((r) => r.id === actionReminderIdOf(action!));
    expect(task).toMatchObject({ dueAt: '2026-12-23T08:00:00.000Z', title: 'Skicka ut mallen' });
    const kallelse = (await stored(channel)).find(
      (r) => r.id === reminderIdOf(meetingId, '2026-12-15', 'kallelse'),
    );
    expect(kallelse).toBeDefined();

    // A crash between the commit and the follow-up: the derived rows never got written.
    for (const reminder of [task!, kallelse!]) {
      const stale = await reminders.get(reminder);
      const table = storeFor(bot.tablePrefix).client('reminders');
      for await (const row of table.listEntities<Record<string, unknown>>()) {
        if (row.id === reminder.id && row.dueAt === reminder.dueAt) {
          await table.deleteEntity(String(row.partitionKey), String(row.rowKey), {
            etag: stale!.version,
          });
        }
      }
    }
    expect((await stored(channel)).some((r) => r.id === kallelse!.id)).toBe(false);

    await bot.reconcileMeetings();
    const repaired = await reminders.get(task!);
    expect(repaired?.value).toMatchObject({ title: 'Skicka ut mallen', state: 'scheduled' });
    expect((await reminders.get(kallelse!))?.value.state).toBe('scheduled');
  });

  it('when a meeting was moved and its old reminders were not withdrawn (a crash after the commit), then reconciliation withdraws them', async () => {
    const channel = '19:flyttad@thread.tacv2';
    const click = clickIn(channel);
    const created = await click('meeting.create', series('2026-12-15, 2027-01-19'));
    const { meetingId } = actionData(created, 'agenda.open') as { meetingId: string };
    const before = (await stored(channel)).filter((r) => r.id.includes('2026-12-15'));
    expect(before.map((r) => r.state)).toEqual(['scheduled', 'scheduled', 'scheduled']);
    await click('meeting.move', {
      meetingId,
      date: '2026-12-15',
      [`toDate-${meetingId}-2026-12-15`]: '2026-12-16',
    });
    const reminders = reminderTable(storeFor(bot.tablePrefix));
    // Put the old ones back as if their withdrawal never happened.
    for (const old of before) {
      const current = await reminders.get(old);
      await reminders.replace({ ...current!.value, state: 'scheduled' }, current!.version);
    }
    await bot.reconcileMeetings();
    const after = await Promise.all(before.map(async (old) => (await reminders.get(old))!.value));
    expect(after.map((r) => r.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const moved = (await stored(channel)).filter(
      (r) => r.id.includes('2026-12-15') && r.state === 'scheduled',
    );
    expect(moved.map((r) => r.dueAt)).toEqual([
      '2026-12-09T08:00:00.000Z',
      '2026-12-14T08:00:00.000Z',
      '2026-12-15T08:00:00.000Z',
    ]);
  });
});

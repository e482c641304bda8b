import { newId } from '../../src/ids.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startCountingProxy, type CountingProxy } from '../../bench/support/counting-proxy.js';
import { azuriteConnectionString } from '../../scripts/local/azurite.js';
import { elementIdFor } from '../../src/meetings/series/rules.js';
import { cardAction, message, TENANT_ID, users } from '../support/activities.js';
import { actionData } from '../support/card-actions.js';
import { cardText, FakeConnector } from '../support/fake-connector.js';
import { tablePortOf } from '../support/storage-proxy.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { grantRoles } from '../support/grant-roles.js';

/**
 * Table operations on the answer path of each meeting card action, counted by a proxy in front
 * of storage from the moment the click arrives until it is answered: one read of the series
 * (its headers and the meeting's rows, two queries in parallel) and one transaction. The
 * principal and the channel's list of series are kept per instance (a list of an empty channel,
 * once warm, costs at most the one read of its index). Posting to the channel (the claim, the
 * conversation reference, the posted card's id) is counted apart.
 */
const { anna, erik } = users;
const clock = new Date('2026-12-01T08:00:00Z');
const channel = '19:tabelloperationer@thread.tacv2';
const where = { kind: 'channel' as const, conversationId: channel };
let proxy: CountingProxy;
let connector: FakeConnector;
let bot: TestBot;

beforeAll(async () => {
  proxy = await startCountingProxy(tablePortOf(inject('tableConnectionString')));
  connector = await new FakeConnector().start();
  bot = await startTestBot(
    {
      STORAGE_CONNECTION_STRING: azuriteConnectionString(proxy.port),
      ALLOWED_TENANT_IDS: TENANT_ID,
      BOOTSTRAP_ADMIN_IDS: anna.aadObjectId,
    },
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
  await proxy?.stop();
});

/** Clicks and counts the storage requests made before the answer came back. */
async function counted(verb: string, data: Record<string, unknown>) {
  await bot.idle();
  const before = proxy.count;
  const response = await bot.post(
    cardAction(verb, data, { serviceUrl: connector.url, from: anna, where }),
  );
  const ops = proxy.count - before;
  await bot.idle();
  expect(response.status).toBe(200);
  return { ops, card: (response.body as { value: Record<string, unknown> }).value };
}

describe('table operations on the answer path of the meeting card actions', () => {
  it(
    'when each meeting verb is clicked, then its answer costs one read of the series and one transaction (the principal is kept per instance)',
    { timeout: 60_000 },
    async () => {
      // Warm up: the channel's reference and the principal are kept per instance afterwards.
      await counted('meetings.list', {});
      const warm = await counted('meetings.list', {});
      expect(warm.ops).toBeLessThanOrEqual(1);

      const created = await counted('meeting.create', {
        requestId: newId(),
        type: 'referensgrupp',
        name: 'Referensgrupp mätt',
        recurrence: 'dates',
        dates: '2027-02-02, 2027-02-09',
        startDate: '2026-12-01',
        time: '09:00',
        place: 'Teams',
        organisations: 'fk',
      });
      const ref = actionData(created.card, 'agenda.open') as { meetingId: string; date: string };
      // The audience of the channel's cards (samordnare first) is kept per instance too.
      await counted('agenda.open', ref);
      const add = async () => {
        const requestId = newId();
        const result = await counted('agenda.add', {
          ...ref,
          requestId,
          title: 'Punkt',
          category: 'fraga',
        });
        return { ...result, itemId: elementIdFor(anna.id, requestId) };
      };
      const first = await add();
      const second = await add();
      const opened = await counted('agenda.open', ref);
      const edited = await counted('agenda.edit', {
        ...ref,
        itemId: first.itemId,
        title: 'Ändrad',
        category: 'fraga',
      });
      const moved = await counted('agenda.item', { ...ref, itemId: second.itemId, action: 'up' });
      const attendance = await counted('meeting.attendance', { ...ref, attendance: 'fk' });
      await counted('meeting.recordForm', { ...ref, itemId: first.itemId });
      const recordRequest = newId();
      const recorded = await counted('meeting.recordItem', {
        ...ref,
        itemId: first.itemId,
        requestId: recordRequest,
        decision: 'Beslut',
        actionWhat: 'Uppgift',
        actionOwner: erik.id,
        actionDue: '2027-03-01',
      });
      const key = elementIdFor(anna.id, recordRequest);
      const corrected = await counted('meeting.correctDecision', {
        ...ref,
        decisionId: key,
        requestId: newId(),
        [`correction-${key}`]: 'Rättat',
      });
      const done = await counted('tasks.done', { ...ref, id: key, conversationId: channel });
      const deferred = await counted('agenda.item', {
        ...ref,
        itemId: second.itemId,
        action: 'defer',
      });
      const final = await counted('agenda.final', ref);
      const closed = await counted('meeting.close', ref);
      expect(cardText(closed.card)).toContain('Minnesanteckningarna är skickade');

      const meeting = {
        'meeting.create': created.ops,
        'agenda.add': first.ops,
        'agenda.open': opened.ops,
        'agenda.edit': edited.ops,
        'agenda.item up': moved.ops,
        'agenda.item defer': deferred.ops,
        'meeting.attendance': attendance.ops,
        'meeting.recordItem': recorded.ops,
        'meeting.correctDecision': corrected.ops,
        'tasks.done': done.ops,
      };
      const posting = {
        'agenda.final': final.ops,
        'meeting.close': closed.ops,
      };
      process.stdout.write(
        `table operations before the answer (a warm list: ${warm.ops}): ${JSON.stringify(meeting)}; with a post to the channel: ${JSON.stringify(posting)}\n`,
      );
      for (const ops of Object.values(meeting)) expect(ops).toBeLessThanOrEqual(3);
    },
  );
});

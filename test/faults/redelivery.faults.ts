import { newId } from '../../src/ids.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAction, users } from '../support/activities.js';
import type { BotProcess } from '../support/bot-process.js';
import { startFaultBot } from '../support/fault-bot.js';
import { FakeConnector } from '../support/fake-connector.js';
import {
  admin,
  createSeries,
  futureDates,
  grantRoles,
  itemForm,
  itemIdOf,
  type MeetingRef,
} from '../support/meeting-setup.js';
import { snapshotChanges, snapshotTables, storeFor } from '../support/table-snapshot.js';
import {
  actionData,
  invokeCard,
  postActivity,
  sleep,
  teamsClient,
  type Client,
} from '../support/teams-client.js';
import { uniquePrefix } from '../support/test-bot.js';

const channel = '19:omleverans@thread.tacv2';
const where = { kind: 'channel' as const, conversationId: channel };
/** Teams gives up on an invoke after 15 s and may deliver it again. */
const REDELIVERY_MS = 16_000;

let connector: FakeConnector;
const bots: BotProcess[] = [];
let first: Client;
let refs: MeetingRef[];
const tablePrefix = uniquePrefix();

beforeAll(async () => {
  connector = await new FakeConnector().start();
  for (let i = 0; i < 2; i++) {
    bots.push(await startFaultBot(tablePrefix));
  }
  first = teamsClient(bots[0]!.url, connector);
  await grantRoles(first, [users.erik]);
  refs = await createSeries(first, where, futureDates(5));
}, 60_000);

afterAll(async () => {
  await Promise.all(bots.map((bot) => bot.kill('SIGTERM')));
  await connector?.stop();
});

/** Storage once two snapshots a second apart agree: the follow-up work of earlier requests is done. */
async function settledSnapshot(store: ReturnType<typeof storeFor>) {
  let previous = await snapshotTables(store);
  for (let i = 0; i < 20; i++) {
    await sleep(1_000);
    const next = await snapshotTables(store);
    if (Object.keys(snapshotChanges(previous, next)).length === 0) return next;
    previous = next;
  }
  return previous;
}

/** A card without its notice line and with fresh request ids blanked: what the user relies on. */
function comparable(card: Record<string, unknown> | undefined): string {
  const body = (card?.body as Record<string, unknown>[] | undefined) ?? [];
  const withoutNotice = body.filter(
    (element) =>
      !(
        element.type === 'TextBlock' &&
        (element.color === 'Good' || element.color === 'Attention')
      ),
  );
  return JSON.stringify({ ...card, body: withoutNotice }, (key, value: unknown) =>
    key === 'requestId' ? '*' : value,
  );
}

function noticeColor(card: Record<string, unknown> | undefined): unknown {
  const body = (card?.body as Record<string, unknown>[] | undefined) ?? [];
  return body.find((e) => e.type === 'TextBlock' && (e.color === 'Good' || e.color === 'Attention'))
    ?.color;
}

async function addItem(ref: MeetingRef, title: string): Promise<string> {
  const requestId = newId();
  await first.click('agenda.add', itemForm(ref, title, requestId), admin, where);
  return itemIdOf(requestId, admin.id);
}

const record = (ref: MeetingRef, itemId: string, text: string) => ({
  ...ref,
  itemId,
  requestId: newId(),
  notes: `Anteckning: ${text}`,
  decision: `Beslut: ${text}`,
  actionWhat: `Uppgift: ${text}`,
  actionOwner: users.erik.id,
  actionDue: refs[4]!.date,
});

describe('the same invoke delivered twice, 16 seconds apart', () => {
  /**
   * Guarantee: an invoke Teams delivers again after its 15-second limit changes state once and
   * returns the same card. Real waiting, not an injected clock: the idempotency keys must hold
   * however much time passes, and the second delivery goes to another instance, as it may in a
   * scaled-out deployment (no in-memory cache can help).
   */
  it(
    'when add, record, correct, attendance and close are each delivered again 16 s later to another instance, then storage changes once and the same cards return',
    { timeout: 90_000 },
    async () => {
      const [addRef, recordRef, correctRef, attendanceRef, closeRef] = refs as [
        MeetingRef,
        MeetingRef,
        MeetingRef,
        MeetingRef,
        MeetingRef,
      ];
      const recordItemId = await addItem(recordRef, 'Punkt att besluta');
      const correctItemId = await addItem(correctRef, 'Punkt med beslut');
      await first.click(
        'meeting.recordItem',
        record(correctRef, correctItemId, 'Mallen används'),
        admin,
        where,
      );
      const { card: minutes } = await first.click('meeting.close', correctRef, admin, where);
      const correction = actionData(minutes, 'meeting.correctDecision') as {
        decisionId: string;
        requestId: string;
      };
      await addItem(closeRef, 'Punkt som flyttas');
      await first.click('meeting.run', attendanceRef, admin, where);

      const invokes = {
        'agenda.add': itemForm(addRef, 'Levererad två gånger'),
        'meeting.recordItem': record(recordRef, recordItemId, 'Levererad två gånger'),
        'meeting.correctDecision': {
          ...correctRef,
          ...correction,
          [`correction-${correction.decisionId}`]: 'Mallen används från februari.',
        },
        'meeting.attendance': { ...attendanceRef, attendance: 'fk,region' },
        'meeting.close': closeRef,
      };
      const activities = Object.entries(invokes).map(([verb, data]) => ({
        verb,
        activity: cardAction(verb, data, { serviceUrl: connector.url, from: admin, where }),
      }));

      const deliver = (botUrl: string) =>
        Promise.all(
          activities.map(async ({ activity }) => invokeCard(await postActivity(botUrl, activity))),
        );
      const store = storeFor(tablePrefix);
      const personal = () => connector.messages(`a:personal-${admin.id}`).length;

      const firstCards = await deliver(bots[0]!.url);
      // The first delivery's follow-up (reminders, the posted minutes' claim settled) runs after
      // its answer: the storage it leaves is taken once that work has come to rest.
      const etagsAfterFirst = await settledSnapshot(store);
      const afterFirst = await snapshotTables(store, 'content');
      const personalAfterFirst = personal();
      await sleep(REDELIVERY_MS);
      const secondCards = await deliver(bots[1]!.url);
      const afterSecond = await snapshotTables(store, 'content');
      const rewritten = snapshotChanges(etagsAfterFirst, await snapshotTables(store));

      const changed = snapshotChanges(afterFirst, afterSecond);
      const sameCard = activities.map(
        ({ verb }, i) => [verb, comparable(firstCards[i]) === comparable(secondCards[i])] as const,
      );
      const rows = Object.values(afterSecond).reduce((sum, list) => sum + list.length, 0);
      process.stdout.write(
        `redelivery after ${REDELIVERY_MS / 1000} s: ${activities.length} invokes delivered twice, ` +
          `${rows} rows compared, ${Object.keys(changed).length} tables changed by the second delivery, ` +
          `${Object.values(rewritten).reduce((n, c) => n + c.added.length, 0)} rows rewritten with identical content ` +
          `(${Object.keys(rewritten).join(', ') || 'none'}); same card: ` +
          `${sameCard.map(([verb, same]) => `${verb} ${same ? 'yes' : 'NO'}`).join(', ')}; ` +
          `personal messages ${personalAfterFirst} → ${personal()}\n`,
      );

      expect(firstCards.every((card) => card !== undefined)).toBe(true);
      expect(firstCards.map(noticeColor)).toEqual(activities.map(() => 'Good'));
      expect(secondCards.map(noticeColor)).toEqual(activities.map(() => 'Good'));
      expect(changed).toEqual({});
      expect(sameCard.filter(([, same]) => !same)).toEqual([]);
      expect(personal()).toBe(personalAfterFirst);
    },
  );
});

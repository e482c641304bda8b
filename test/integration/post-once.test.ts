import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PostOnceOutcome } from '../../src/bot/post-once.js';
import { ConversationService } from '../../src/conversations/conversations.service.js';
import { cardMessageTable, conversationTable } from '../../src/storage/conversation-tables.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { message, TENANT_ID, users } from '../support/activities.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, uniquePrefix, type TestBot } from '../support/test-bot.js';

/**
 * "Post once" across instances: separate apps on one storage receive the same post at the same
 * moment, through the real HTTP path to a fake Bot Connector. Guarantee: one post per card key,
 * and every later call updates that post.
 */
const channel = '19:post-once@thread.tacv2';
const PAIRS = 20;
const tablePrefix = uniquePrefix();
const env = {
  TABLE_PREFIX: tablePrefix,
  ALLOWED_TENANT_IDS: TENANT_ID,
  CONNECTOR_TIMEOUT_SECONDS: '1',
};

let connector: FakeConnector;
const bots: TestBot[] = [];

/** Makes a channel known (its reference stored) by writing to the bot there once. */
async function introduce(conversationId: string) {
  const introduced = await bots[0]!.post(
    message('/hjälp', {
      serviceUrl: connector.url,
      from: users.anna,
      where: { kind: 'channel', conversationId },
    }),
  );
  expect(introduced.status).toBe(200);
}

beforeAll(async () => {
  connector = await new FakeConnector().start();
  for (let n = 0; n < 3; n++) bots.push(await startTestBot(env));
  await introduce(channel);
}, 60_000);

afterAll(async () => {
  await Promise.all(bots.map((bot) => bot.stop()));
  await connector?.stop();
});

const card = (text: string) => ({
  type: 'AdaptiveCard',
  version: '1.5',
  body: [{ type: 'TextBlock', text, wrap: true }],
});

/** The POSTs and PUTs whose card mentions `marker`. */
function traffic(marker: string) {
  const mine = connector
    .messages()
    .filter((activity) => cardText(cardOf(activity)).includes(marker));
  return {
    posts: mine.filter((activity) => activity.method === 'POST'),
    puts: mine.filter((activity) => activity.method === 'PUT'),
  };
}

async function race(
  instances: readonly TestBot[],
  key: string,
  marker: string,
  conversationId = channel,
) {
  return Promise.all(
    instances.map((bot, n) =>
      bot.poster.postOnce(conversationId, key, async () => card(`${marker} från instans ${n + 1}`)),
    ),
  );
}

const kinds = (outcomes: readonly PostOnceOutcome[]) => outcomes.map((o) => o.kind).sort();

describe('post once, across instances', () => {
  for (const count of [2, 3]) {
    it(
      `when ${count} instances receive the same post at the same moment (${PAIRS} times), then there is one post each time and a later update reaches it`,
      { timeout: 90_000 },
      async () => {
        const instances = bots.slice(0, count);
        const summary = { posts: 0, updates: 0, pending: 0, laterUpdates: 0 };
        for (let pair = 0; pair < PAIRS; pair++) {
          // A channel per pair, so Teams' per-conversation rate limit does not set the pace.
          const conversationId = `19:post-once-${count}-${pair}@thread.tacv2`;
          await introduce(conversationId);
          const marker = `Kort ${count}-${pair}:`;
          const key = `test.par-${count}-${pair}`;
          const outcomes = await race(instances, key, marker, conversationId);
          expect(kinds(outcomes)).toEqual(
            ['posted', ...Array.from({ length: count - 1 }, () => 'updated')].sort(),
          );
          const { posts, puts } = traffic(marker);
          expect(posts).toHaveLength(1);
          const activityId = posts[0]!.responseId!;
          expect(outcomes.every((o) => 'activityId' in o && o.activityId === activityId)).toBe(
            true,
          );
          expect(puts.every((put) => put.activityId === activityId)).toBe(true);

          const later = await instances[pair % count]!.poster.postOnce(
            conversationId,
            key,
            async () => card(`${marker} senare ändring`),
          );
          expect(later).toEqual({ kind: 'updated', activityId });
          const after = traffic(marker);
          expect(after.posts).toHaveLength(1);
          expect(cardText(cardOf(after.puts[after.puts.length - 1]))).toContain('senare ändring');
          expect(after.puts[after.puts.length - 1]!.activityId).toBe(activityId);
          summary.posts += after.posts.length;
          summary.updates += puts.length;
          summary.laterUpdates++;
        }
        process.stdout.write(
          `post once, ${count} instances × ${PAIRS}: ${summary.posts} posts, ${summary.updates} updates by the losers, ${summary.laterUpdates} later updates reached the post\n`,
        );
        expect(summary.posts).toBe(PAIRS);
      },
    );
  }

  it('when Teams stores the post but answers 502, then the card is uncertain: nobody posts it again, unless someone asks for it explicitly', async () => {
    const marker = 'Kort efter 502:';
    connector.storeThen(502);
    const outcomes = await race(bots.slice(0, 2), 'test.efter-502', marker);
    expect(kinds(outcomes)).toEqual(['uncertain', 'uncertain']);
    expect(traffic(marker).posts).toHaveLength(1);

    const again = await bots[2]!.poster.postOnce(channel, 'test.efter-502', async () =>
      card(`${marker} igen`),
    );
    expect(again).toEqual({ kind: 'uncertain' });
    expect(traffic(marker).posts).toHaveLength(1);

    const asked = await Promise.all(
      bots.slice(0, 2).map((bot) =>
        bot.poster.postOnce(channel, 'test.efter-502', async () => card(`${marker} på begäran`), {
          repostUncertain: true,
        }),
      ),
    );
    expect(kinds(asked)).toEqual(['posted', 'updated']);
    expect(traffic(marker).posts).toHaveLength(2);
  });

  it('when the winner died in the middle of its post (its claim ran out), then the next caller reports it uncertain instead of posting a second copy', async () => {
    const store = createTableStore(
      { kind: 'connectionString', connectionString: inject('tableConnectionString') },
      tablePrefix,
    );
    const conversations = new ConversationService(
      conversationTable(store),
      cardMessageTable(store),
      () => new Date(),
    );
    await conversations.createCardClaim({
      conversationId: channel,
      cardKey: 'test.avbruten',
      state: 'sending',
      claimedBy: 'an-instance-that-died',
      leaseUntil: new Date(Date.now() - 1_000).toISOString(),
    });
    const marker = 'Kort efter krasch:';
    const outcome = await bots[0]!.poster.postOnce(channel, 'test.avbruten', async () =>
      card(marker),
    );
    expect(outcome).toEqual({ kind: 'uncertain' });
    expect(traffic(marker).posts).toHaveLength(0);
    expect((await conversations.cardClaim(channel, 'test.avbruten'))?.value.state).toBe(
      'uncertain',
    );
  });

  it('when Teams refuses the post for good (400), then nothing is out, the claim is released, and the next call posts', async () => {
    const marker = 'Kort efter 400:';
    connector.failNext(400);
    const refused = await bots[0]!.poster.postOnce(channel, 'test.efter-400', async () =>
      card(marker),
    );
    expect(refused).toEqual({ kind: 'not-sent', reason: 'rejected', status: 400 });
    const next = await bots[1]!.poster.postOnce(channel, 'test.efter-400', async () =>
      card(`${marker} igen`),
    );
    expect(next.kind).toBe('posted');
    expect(traffic(marker).posts).toHaveLength(1);
  });

  it('when the card is over the byte budget, then the short notice is posted in its place, and a later card that fits replaces it', async () => {
    const huge = card(`Stort kort: ${'å'.repeat(30_000)}`);
    const outcome = await bots[0]!.poster.postOnce(channel, 'test.stort', async () => huge);
    expect(outcome.kind).toBe('too-large');
    const notice = connector
      .messages(channel)
      .filter((m) => cardText(cardOf(m)).includes('Innehållet är för stort för att visas här'));
    expect(notice).toHaveLength(1);
    expect(JSON.stringify(notice[0]!.body)).not.toContain('Stort kort');
    const fits = await bots[1]!.poster.postOnce(channel, 'test.stort', async () =>
      card('Stort kort, nu i en mindre del'),
    );
    expect(fits).toEqual({ kind: 'updated', activityId: notice[0]!.responseId });
  });
});

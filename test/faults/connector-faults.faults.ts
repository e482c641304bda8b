import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../support/activities.js';
import type { BotProcess } from '../support/bot-process.js';
import { seedDueReminders, startFaultBot } from '../support/fault-bot.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import {
  admin,
  createSeries,
  futureDates,
  grantRoles,
  itemForm,
  type MeetingRef,
} from '../support/meeting-setup.js';
import { health, replyText, teamsClient, until, type Client } from '../support/teams-client.js';
import { uniquePrefix } from '../support/test-bot.js';

const channel = '19:anslutning@thread.tacv2';
const where = { kind: 'channel' as const, conversationId: channel };
const personal = { kind: 'personal' as const };
const REMINDERS = 12;
const SLOW_MS = 4_000;

let connector: FakeConnector;
let bot: BotProcess;
let client: Client;
let refs: MeetingRef[];
const tablePrefix = uniquePrefix();

beforeAll(async () => {
  connector = await new FakeConnector().start();
  bot = await startFaultBot(tablePrefix, { SCHEDULER_ENABLED: 'true', REMINDER_TICK_SECONDS: '1' });
  client = teamsClient(bot.url, connector);
  await grantRoles(client, [users.erik]);
  refs = await createSeries(client, where, futureDates(1));
}, 60_000);

afterAll(async () => {
  await bot?.kill('SIGTERM');
  await connector?.stop();
});

const retriesLogged = () => bot.logs.filter((entry) => entry.event === 'delivery.retry').length;

describe('the Bot Connector answers 429, 502, 504 and slowly', () => {
  /**
   * Guarantee: a reply to a command survives throttling and transient gateway errors: it is
   * retried with backoff (Retry-After honoured), arrives exactly once, and the request is
   * answered 200, never 500.
   */
  it(
    'when replies to commands meet 429 with Retry-After, 502 and 504, then each reply arrives exactly once after backoff',
    { timeout: 60_000 },
    async () => {
      const outcomes = [];
      for (const failures of [[{ status: 429, retryAfterSeconds: 1 }], [502], [504], [429, 502]]) {
        connector.clear();
        connector.failNext(...failures);
        const started = Date.now();
        const { reply, replies } = await client.say('/hjälp', users.erik, personal);
        outcomes.push({
          status: reply.status,
          replies: replies.length,
          refused: connector.refused.length,
          ms: Date.now() - started,
          text: replies.map(replyText).join(),
        });
      }
      process.stdout.write(
        `connector faults on replies: ${outcomes.length} commands, statuses ${outcomes.map((o) => o.status).join('/')}, ` +
          `replies ${outcomes.map((o) => o.replies).join('/')}, refused ${outcomes.map((o) => o.refused).join('/')}, ` +
          `ms ${outcomes.map((o) => o.ms).join('/')}\n`,
      );
      expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 200]);
      expect(outcomes.map((o) => o.replies)).toEqual([1, 1, 1, 1]);
      expect(outcomes.map((o) => o.refused)).toEqual([1, 1, 1, 2]);
      expect(outcomes.every((o) => o.text.includes('/hjälp'))).toBe(true);
      expect(outcomes[0]!.ms).toBeGreaterThanOrEqual(1_000);
    },
  );

  /**
   * Guarantee: when the connector refuses every attempt, the bot gives up after its bounded
   * retries without a crash and without a 500 (which would make Teams deliver the message
   * again), and serves the next request normally.
   */
  it(
    'when the connector fails every attempt for a reply, then the request still ends with 200, an invoke still gets its card within 15 s, and the bot keeps serving',
    { timeout: 60_000 },
    async () => {
      const dead = await new FakeConnector().start();
      try {
        dead.failNext(...Array.from({ length: 100 }, () => 502));
        const deadClient = teamsClient(bot.url, dead);
        const started = Date.now();
        const { reply } = await deadClient.say('/hjälp', users.erik, personal);
        const ms = Date.now() - started;
        const invoke = await deadClient.click('agenda.final', refs[0]!, admin, where);
        connector.clear();
        const after = await client.say('/hjälp', users.erik, personal);
        process.stdout.write(
          `connector down for a reply: HTTP ${reply.status} after ${ms} ms, ${dead.refused.length} attempts refused, ` +
            `${dead.received.length} delivered; an invoke that posts answered ${invoke.reply.status} with a card after ${invoke.reply.ms} ms; ` +
            `next command ${after.replies.length} reply, healthz ${await health(bot.url)}\n`,
        );
        expect(reply.status).toBe(200);
        expect(invoke.reply.status).toBe(200);
        expect(invoke.card).toBeDefined();
        expect(invoke.reply.ms).toBeLessThan(15_000);
        expect(dead.received).toHaveLength(0);
        expect(dead.refused.length).toBeGreaterThan(1);
        expect(after.replies).toHaveLength(1);
        expect(await health(bot.url)).toBe(200);
      } finally {
        await dead.stop();
      }
    },
  );

  /**
   * Guarantee: a slow connector delays an answer but never breaks it: an invoke that posts to
   * the channel still answers with its card well inside Teams' 15-second limit, once.
   */
  it(
    'when the connector takes seconds to answer, then commands and invokes still answer once and within the invoke limit',
    { timeout: 60_000 },
    async () => {
      connector.clear();
      connector.delayMs = SLOW_MS;
      try {
        await client.click('agenda.add', itemForm(refs[0]!, 'Långsam punkt'), admin, where);
        const command = await client.say('/möte', admin, where);
        const invoke = await client.click('agenda.final', refs[0]!, admin, where);
        const posted = connector
          .messages(channel)
          .filter((m) => cardText(cardOf(m)).startsWith('Dagordning'));
        process.stdout.write(
          `slow connector (${SLOW_MS} ms): command answered in ${command.reply.ms} ms with ${command.replies.length} reply, ` +
            `invoke answered in ${invoke.reply.ms} ms, ${posted.length} dagordning posted\n`,
        );
        expect(command.reply.status).toBe(200);
        expect(command.replies).toHaveLength(1);
        expect(invoke.reply.status).toBe(200);
        expect(cardText(invoke.card)).toContain('Dagordningen är skickad');
        expect(invoke.reply.ms).toBeLessThan(15_000);
        expect(posted).toHaveLength(1);
      } finally {
        connector.delayMs = 0;
      }
    },
  );

  /**
   * Guarantee: proactive sends (reminders) back off on 429/502/504 and on a slow connector,
   * each reminder arrives exactly once, and the process stays healthy and keeps serving.
   */
  it(
    'when reminders are due while the connector throttles, fails and lags, then each arrives once after backoff and the bot keeps serving',
    { timeout: 90_000 },
    async () => {
      connector.clear();
      const titles = Array.from({ length: REMINDERS }, (_, n) => `Backoff-påminnelse ${n + 10}`);
      await seedDueReminders(tablePrefix, channel, titles, 1_500);
      const retriesBefore = retriesLogged();
      connector.failNext(
        { status: 429, retryAfterSeconds: 1 },
        502,
        504,
        { status: 429, retryAfterSeconds: 2 },
        502,
        504,
      );
      connector.delayMs = 1_500;
      const arrived = () =>
        connector
          .messages(channel)
          .map((m) => /Backoff-påminnelse \d+/.exec(cardText(cardOf(m)))?.[0])
          .filter((title): title is string => title !== undefined);
      try {
        await until(() => new Set(arrived()).size >= REMINDERS, 60_000);
      } finally {
        connector.delayMs = 0;
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const counts = new Map<string, number>();
      for (const title of arrived()) counts.set(title, (counts.get(title) ?? 0) + 1);
      const refused = connector.refused.map((r) => r.status);
      const served = await client.say('/hjälp', users.erik, personal);
      const healthy = await health(bot.url);
      process.stdout.write(
        `connector faults on reminders: ${REMINDERS} due, ${refused.length} refused (${refused.join(',')}), ` +
          `${retriesLogged() - retriesBefore} retries logged, ${arrived().length} posts for ${counts.size} reminders, ` +
          `${[...counts.values()].filter((c) => c > 1).length} duplicated; healthz ${healthy}, later command ${served.replies.length} reply\n`,
      );
      expect(refused).toEqual([429, 502, 504, 429, 502, 504]);
      expect(counts.size).toBe(REMINDERS);
      expect(arrived()).toHaveLength(REMINDERS);
      expect(healthy).toBe(200);
      expect(served.replies).toHaveLength(1);
    },
  );
});

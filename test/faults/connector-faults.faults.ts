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
  bot = await startFaultBot(tablePrefix, {
    SCHEDULER_ENABLED: 'true',
    REMINDER_TICK_SECONDS: '1',
    CONNECTOR_TIMEOUT_SECONDS: '5',
  });
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
   * Guarantee (the delivery rule in the README): channel reminders are posted at most once.
   * Refusals (429, Retry-After honoured) are retried and arrive once; a 502 or 504 leaves the
   * outcome unknown, so that reminder is not posted again but marked uncertain and its owner
   * told; nothing arrives twice, nothing is lost without a word, and the bot keeps serving.
   */
  it(
    'when reminders are due while the connector throttles, fails and lags, then refused ones arrive once after backoff, those without a clear answer are reported uncertain, and the bot keeps serving',
    { timeout: 90_000 },
    async () => {
      connector.clear();
      const titles = Array.from({ length: REMINDERS }, (_, n) => `Backoff-påminnelse ${n + 10}`);
      await seedDueReminders(tablePrefix, channel, titles, 1_500);
      const retriesBefore = retriesLogged();
      connector.failNextIn(
        channel,
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
      const reports = () =>
        connector
          .messages()
          .map((m) => m.body.text ?? '')
          .filter((text) => /Det är oklart om påminnelsen ”Backoff-påminnelse \d+”/.test(text));
      try {
        await until(() => new Set(arrived()).size + reports().length >= REMINDERS, 60_000);
      } finally {
        connector.delayMs = 0;
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const counts = new Map<string, number>();
      for (const title of arrived()) counts.set(title, (counts.get(title) ?? 0) + 1);
      const reported = new Set(
        reports().map((text) => /Backoff-påminnelse \d+/.exec(text)?.[0] ?? ''),
      );
      const refused = connector.refused.map((r) => r.status);
      const served = await client.say('/hjälp', users.erik, personal);
      const healthy = await health(bot.url);
      process.stdout.write(
        `connector faults on reminders: ${REMINDERS} due, ${refused.length} refused (${refused.join(',')}), ` +
          `${retriesLogged() - retriesBefore} retries logged, ${arrived().length} posts for ${counts.size} reminders, ` +
          `${[...counts.values()].filter((c) => c > 1).length} duplicated, ${reported.size} reported uncertain (5xx); ` +
          `healthz ${healthy}, later command ${served.replies.length} reply\n`,
      );
      expect(refused).toEqual([429, 502, 504, 429, 502, 504]);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      expect(counts.size).toBe(REMINDERS - 4);
      expect(reported.size).toBe(4);
      expect([...reported].some((title) => counts.has(title))).toBe(false);
      expect(counts.size + reported.size).toBe(REMINDERS);
      expect(healthy).toBe(200);
      expect(served.replies).toHaveLength(1);
    },
  );

  /**
   * Guarantee (the delivery rule in the README): when Teams has the post but the bot gets no
   * clear answer (502 after storing, a reset connection, a connection that hangs for minutes),
   * a channel reminder is posted exactly once, marked uncertain and its owner told, and never
   * posted again; a hung connection costs the instance only its timeout, so the scheduler keeps
   * going and `/readyz` stays 200.
   */
  it(
    'when the connector stores reminders and then answers 502, resets or hangs for minutes, then each is posted once and reported uncertain, and the instance never stalls',
    { timeout: 120_000 },
    async () => {
      const stored = '19:lagrad-men-oklar@thread.tacv2';
      await client.say('/hjälp', admin, { kind: 'channel', conversationId: stored });
      connector.clear();
      const titles = ['Lagrad sedan 502', 'Lagrad sedan avbruten', 'Lagrad sedan hängande'];
      connector.storeThenIn(stored, 502, 'reset', { hangMs: 180_000 });
      await seedDueReminders(`${tablePrefix}`, stored, titles, 1_000, 'stored');
      const posts = (title: string) =>
        connector
          .messages(stored)
          .filter((m) => m.method === 'POST' && cardText(cardOf(m)).includes(title)).length;
      const reported = (title: string) =>
        connector
          .messages()
          .filter((m) => (m.body.text ?? '').includes(`Det är oklart om påminnelsen ”${title}”`))
          .length;
      const readiness: number[] = [];
      await until(async () => {
        readiness.push((await fetch(`${bot.url}/readyz`)).status);
        return titles.every((title) => reported(title) === 1);
      }, 60_000);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      process.stdout.write(
        `stored, then no clear answer: posts ${titles.map(posts).join('/')}, owner reports ${titles.map(reported).join('/')}, ` +
          `/readyz ${[...new Set(readiness)].join(',')} over ${readiness.length} probes\n`,
      );
      expect(titles.map(posts)).toEqual([1, 1, 1]);
      expect(titles.map(reported)).toEqual([1, 1, 1]);
      expect(readiness.every((status) => status === 200)).toBe(true);
    },
  );
});

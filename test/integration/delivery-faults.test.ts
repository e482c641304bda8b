import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Reminder } from '../../src/reminders/reminders.schema.js';
import { reminderTable } from '../../src/storage/reminder-table.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { cardAction, message, TENANT_ID, users } from '../support/activities.js';
import { cardOf, cardText, FakeConnector, type StoreThen } from '../support/fake-connector.js';
import { startStorageProxy } from '../support/storage-proxy.js';
import { until } from '../support/teams-client.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

/**
 * A Bot Connector that stores a post and then answers 502, resets the connection, or hangs for
 * minutes. The counts must match the delivery rule in the README: at most once to a channel
 * (uncertain, the owner told, never posted again), at least once to a personal chat and for
 * replies (sent again). No instance stalls on a hung connection; `/readyz` shows a stall.
 */
const owner = users.anna;
const personal = `a:personal-${owner.id}`;
const HANG: StoreThen = { hangMs: 180_000 };
const MODES: readonly [string, StoreThen][] = [
  ['502', 502],
  ['a reset connection', 'reset'],
  ['a connection that hangs for minutes', HANG],
];
const env = {
  ALLOWED_TENANT_IDS: TENANT_ID,
  BOOTSTRAP_ADMIN_IDS: owner.aadObjectId,
  CONNECTOR_TIMEOUT_SECONDS: '1',
};

let connector: FakeConnector;
let clock = new Date('2026-11-23T10:00:00Z');
const now = () => clock;

beforeAll(async () => {
  connector = await new FakeConnector().start();
});
afterAll(async () => {
  await connector?.stop();
});

async function say(bot: TestBot, text: string, conversationId?: string) {
  const where = conversationId ? { kind: 'channel' as const, conversationId } : undefined;
  const response = await bot.post(
    message(text, { serviceUrl: connector.url, from: owner, ...(where ? { where } : {}) }),
  );
  expect(response.status).toBe(200);
}

async function schedule(bot: TestBot, conversationId: string, title: string, inMs = 60_000) {
  const { reminder } = await bot.reminders.schedule({
    id: `test.fault.${title.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}`,
    kind: 'custom',
    conversationId,
    dueAt: new Date(clock.getTime() + inMs),
    title,
    text: '',
    ownerId: owner.id,
    createdBy: owner.id,
  });
  return reminder;
}

const postsOf = (title: string, conversationId?: string) =>
  connector
    .messages(conversationId)
    .filter((m) => m.method === 'POST' && cardText(cardOf(m)).includes(title));
const reportsAbout = (title: string) =>
  connector
    .messages(personal)
    .filter((m) => (m.body.text ?? '').includes(`”${title}”`))
    .map((m) => m.body.text ?? '');

async function storedState(tablePrefix: string, reminder: Reminder) {
  const store = createTableStore(
    { kind: 'connectionString', connectionString: inject('tableConnectionString') },
    tablePrefix,
  );
  return (await reminderTable(store).get(reminder))?.value.state;
}

describe('a connector that stores the post and then fails', () => {
  for (const [label, mode] of MODES) {
    it(`when a channel reminder meets ${label}, then it is posted once, marked uncertain, its owner is told once, and it is never posted again`, async () => {
      clock = new Date('2026-11-23T10:00:00Z');
      const bot = await startTestBot(env, { now });
      try {
        const channel = `19:fel-${label.length}@thread.tacv2`;
        await say(bot, '/hjälp');
        await say(bot, '/hjälp', channel);
        const title = `Kanalpåminnelse efter ${label}`;
        const reminder = await schedule(bot, channel, title);
        clock = new Date(Date.parse(reminder.dueAt) + 1_000);
        connector.storeThen(mode);
        const started = Date.now();
        const report = await bot.scheduler.tick();
        const tickMs = Date.now() - started;
        clock = new Date(clock.getTime() + 10 * 60_000);
        await bot.scheduler.tick();
        const posts = postsOf(title, channel).length;
        const told = reportsAbout(title);
        process.stdout.write(
          `channel reminder, ${label}: ${posts} post, state ${await storedState(bot.tablePrefix, reminder)}, ${told.length} owner report, tick ${tickMs} ms\n`,
        );
        expect(report).toMatchObject({ sent: 0, uncertain: 1 });
        expect(posts).toBe(1);
        expect(await storedState(bot.tablePrefix, reminder)).toBe('uncertain');
        expect(told).toHaveLength(1);
        expect(told[0]).toContain('Det är oklart om');
        expect(told[0]).toContain('Den skickas inte igen');
        expect(tickMs).toBeLessThan(60_000);
      } finally {
        await bot.stop();
      }
    });

    it(`when a reminder to a personal chat meets ${label}, then it is sent again (at least once; after a timeout in the next tick): two posts, and it is sent`, async () => {
      clock = new Date('2026-11-23T10:00:00Z');
      const bot = await startTestBot(env, { now });
      try {
        await say(bot, '/hjälp');
        const title = `Personlig påminnelse efter ${label}`;
        const reminder = await schedule(bot, personal, title);
        clock = new Date(Date.parse(reminder.dueAt) + 1_000);
        connector.storeThen(mode);
        const first = await bot.scheduler.tick();
        clock = new Date(clock.getTime() + 2 * 60_000);
        const second = await bot.scheduler.tick();
        const posts = postsOf(title, personal).length;
        process.stdout.write(
          `personal reminder, ${label}: ${posts} posts, sent in tick ${first.sent === 1 ? 1 : 2}\n`,
        );
        expect(first.sent + second.sent).toBe(1);
        expect(first.uncertain + second.uncertain).toBe(0);
        expect(posts).toBe(2);
        expect(await storedState(bot.tablePrefix, reminder)).toBe('sent');
      } finally {
        await bot.stop();
      }
    });
  }

  it('when the reply to a command meets a stored-then-502 answer, then the reply may arrive twice (at least once) and the request still ends with 200', async () => {
    const bot = await startTestBot(env);
    try {
      await say(bot, '/hjälp');
      connector.clear();
      connector.storeThen(502);
      await say(bot, '/hjälp');
      const replies = connector.messages(personal).filter((m) => m.method === 'POST');
      process.stdout.write(`command reply after a stored 502: ${replies.length} replies\n`);
      expect(replies).toHaveLength(2);
    } finally {
      await bot.stop();
    }
  });

  it('when one instance hangs in a post while another instance ticks, then the hung one gives up by its timeout and marks it uncertain itself, and nobody posts it again', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const first = await startTestBot(env, { now });
    const second = await startTestBot({ ...env, TABLE_PREFIX: first.tablePrefix }, { now });
    try {
      const channel = '19:haenger@thread.tacv2';
      await say(first, '/hjälp');
      await say(first, '/hjälp', channel);
      const title = 'Påminnelse i en hängande anslutning';
      const reminder = await schedule(first, channel, title);
      clock = new Date(Date.parse(reminder.dueAt) + 1_000);
      connector.storeThen(HANG);
      const hung = first.scheduler.tick();
      await until(() => postsOf(title, channel).length === 1, 5_000);
      const meanwhile = await second.scheduler.tick();
      const report = await hung;
      clock = new Date(clock.getTime() + 30 * 60_000);
      const afterLease = await second.scheduler.tick();
      await first.scheduler.tick();
      process.stdout.write(
        `hung connection on one of two instances: ${postsOf(title, channel).length} post, the other instance found it ${meanwhile.elsewhere === 1 ? 'held' : 'free'}, ${reportsAbout(title).length} owner report\n`,
      );
      expect(meanwhile).toMatchObject({ sent: 0, elsewhere: 1 });
      expect(report).toMatchObject({ uncertain: 1 });
      expect(afterLease).toMatchObject({ due: 0, sent: 0 });
      expect(postsOf(title, channel)).toHaveLength(1);
      expect(reportsAbout(title)).toHaveLength(1);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('when "Skicka nu" gets no clear answer from Teams (502), then the samordnare is told it is unclear and not sent again, and a second click posts nothing', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const target = await startTestBot(env, { now });
    const channel = '19:skicka-nu@thread.tacv2';
    const where = { kind: 'channel' as const, conversationId: channel };
    try {
      await say(target, '/hjälp');
      await say(target, '/hjälp', channel);
      await schedule(target, channel, 'Skickas nu men oklart', 30 * 60_000);
      connector.clear();
      const [reminder] = await target.reminders.upcoming(channel);
      const click = async () => {
        const response = await target.post(
          cardAction(
            'reminders.sendNow',
            { id: reminder!.id, dueAt: reminder!.dueAt },
            { serviceUrl: connector.url, from: owner, where },
          ),
        );
        return cardText((response.body as { value: unknown }).value);
      };
      connector.storeThen(502);
      expect(await click()).toContain('Det är oklart om påminnelsen kom fram');
      expect(await click()).toContain('Den skickas inte igen');
      expect(postsOf('Skickas nu men oklart', channel)).toHaveLength(1);
    } finally {
      await target.stop();
    }
  });
});

describe('the scheduler does not stall, and /readyz says when it does', () => {
  const readyz = async (bot: TestBot) => {
    const response = await fetch(`${bot.url}/readyz`);
    return { status: response.status, body: (await response.json()) as { status: string } };
  };

  it('when every post to ten channels hangs for minutes, then the running scheduler keeps ticking, each reminder is posted once and reported uncertain, and /readyz stays 200', async () => {
    const bot = await startTestBot(
      {
        ...env,
        SCHEDULER_ENABLED: 'true',
        REMINDER_TICK_SECONDS: '1',
        REMINDER_LEASE_SECONDS: '2',
      },
      { now: () => new Date() },
    );
    try {
      await say(bot, '/hjälp');
      const channels = Array.from({ length: 10 }, (_, n) => `19:haeng-${n}@thread.tacv2`);
      for (const channel of channels) await say(bot, '/hjälp', channel);
      for (const channel of channels) connector.storeThenIn(channel, HANG);
      clock = new Date();
      const titles = await Promise.all(
        channels.map(async (channel, n) => {
          await schedule(bot, channel, `Hängande ${n}`, 500);
          return `Hängande ${n}`;
        }),
      );
      const statuses: number[] = [];
      await until(async () => {
        statuses.push((await readyz(bot)).status);
        return titles.every((title) => reportsAbout(title).length === 1);
      }, 60_000);
      const posts = titles.map((title) => postsOf(title).length);
      process.stdout.write(
        `10 channels hanging: posts per reminder ${posts.join('/')}, /readyz ${[...new Set(statuses)].join(',')} over ${statuses.length} probes\n`,
      );
      expect(posts.every((count) => count === 1)).toBe(true);
      expect(statuses.every((status) => status === 200)).toBe(true);
    } finally {
      await bot.stop();
    }
  }, 90_000);

  it('when storage stops answering, then /healthz answers 503 but /readyz stays 200: the loop still turns (each tick fails in time), and a storage outage is not a reason to replace instances', async () => {
    const proxy = await startStorageProxy(inject('tableConnectionString'));
    const bot = await startTestBot(
      {
        ...env,
        STORAGE_CONNECTION_STRING: proxy.connectionString,
        SCHEDULER_ENABLED: 'true',
        REMINDER_TICK_SECONDS: '1',
        REMINDER_LEASE_SECONDS: '2',
      },
      { now: () => new Date() },
    );
    try {
      expect((await readyz(bot)).status).toBe(200);
      proxy.stall();
      const readiness: number[] = [];
      const stopAt = Date.now() + 16_000;
      while (Date.now() < stopAt) {
        readiness.push((await readyz(bot)).status);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const healthz = (await fetch(`${bot.url}/healthz`)).status;
      const failedTicks = bot.logLines.filter((line) => line.includes('scheduler.tick.failed'));
      proxy.restore();
      process.stdout.write(
        `storage silent for 16 s: /healthz ${healthz}, /readyz ${[...new Set(readiness)].join(',')} over ${readiness.length} probes, ${failedTicks.length} ticks ended with the storage error\n`,
      );
      expect(healthz).toBe(503);
      expect(readiness.every((status) => status === 200)).toBe(true);
      expect(failedTicks.length).toBeGreaterThan(0);
    } finally {
      await bot.stop();
      await proxy.stop();
    }
  }, 120_000);
});

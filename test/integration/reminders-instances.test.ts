import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConversationService } from '../../src/conversations/conversations.service.js';
import type { Reminder } from '../../src/reminders/reminders.schema.js';
import { REMINDER_STATES } from '../../src/reminders/reminders.schema.js';
import { cardMessageTable, conversationTable } from '../../src/storage/conversation-tables.js';
import { reminderTable } from '../../src/storage/reminder-table.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { BOT, TENANT_ID, users } from '../support/activities.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { uniquePrefix } from '../support/test-bot.js';

/**
 * Several bot processes, started as production starts them, share one storage and one outbox.
 * Guarantee under test: a reminder is never posted twice, and none is lost silently: each is
 * delivered, or (only when its process died during the POST itself) marked uncertain and its
 * owner told.
 */
const CONVERSATIONS = 40;
const PER_CONVERSATION = 5;
const TOTAL = CONVERSATIONS * PER_CONVERSATION;
const owner = users.anna;
const personal = `a:personal-${owner.id}`;

let connector: FakeConnector;
const running: BotProcess[] = [];

beforeAll(async () => {
  connector = await new FakeConnector().start();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((bot) => bot.kill('SIGTERM')));
});
afterAll(async () => {
  await connector?.stop();
});

function storage(tablePrefix: string) {
  const store = createTableStore(
    { kind: 'connectionString', connectionString: inject('tableConnectionString') },
    tablePrefix,
  );
  return { store, reminders: reminderTable(store) };
}

const titleOf = (n: number) => `Påminnelse ${String(n).padStart(3, '0')}`;
const conversationOf = (n: number) => `19:kanal-${n % CONVERSATIONS}@thread.tacv2`;

/** The conversations the bot has heard from, and TOTAL reminders due `inMs` from now. */
async function seed(tablePrefix: string, inMs: number) {
  const { store, reminders } = storage(tablePrefix);
  await store.ensureTables();
  const conversations = new ConversationService(
    conversationTable(store),
    cardMessageTable(store),
    () => new Date(),
  );
  const reference = (id: string, kind: 'channel' | 'personal') => ({
    reference: {
      serviceUrl: connector.url,
      channelId: 'msteams',
      conversation: { id, conversationType: kind, tenantId: TENANT_ID },
      bot: BOT,
      ...(kind === 'personal' ? { user: { id: owner.id } } : {}),
    },
    kind,
    tenantId: TENANT_ID,
  });
  await conversations.remember(reference(personal, 'personal'));
  for (let c = 0; c < CONVERSATIONS; c++) {
    await conversations.remember(reference(conversationOf(c), 'channel'));
  }
  const dueAt = new Date(Date.now() + inMs).toISOString();
  const createdAt = new Date().toISOString();
  await Promise.all(
    Array.from({ length: TOTAL }, (_, n) =>
      reminders.create({
        id: `test.instances.${n}`,
        kind: 'custom',
        conversationId: conversationOf(n),
        dueAt,
        title: titleOf(n),
        text: '',
        ownerId: owner.id,
        state: 'scheduled',
        attempts: 0,
        createdAt,
        createdBy: owner.id,
      }),
    ),
  );
  return async (): Promise<Reminder[]> =>
    (
      await reminders.due(new Date(Date.now() - 3_600_000), new Date(Date.now() + 3_600_000), [
        ...REMINDER_STATES,
      ])
    ).map((row) => row.value);
}

async function start(tablePrefix: string) {
  const bot = await startBotProcess({
    STORAGE_CONNECTION_STRING: inject('tableConnectionString'),
    TABLE_PREFIX: tablePrefix,
    ALLOWED_TENANT_IDS: TENANT_ID,
    SCHEDULER_ENABLED: 'true',
    REMINDER_TICK_SECONDS: '1',
    REMINDER_LEASE_SECONDS: '4',
    CONNECTOR_TIMEOUT_SECONDS: '1',
    LOG_LEVEL: 'info',
  });
  running.push(bot);
  return bot;
}

/** How often each reminder title arrived in a channel. */
function deliveries(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const activity of connector.messages()) {
    if (activity.conversationId === personal) continue;
    const title = /Påminnelse \d{3}/.exec(cardText(cardOf(activity)))?.[0];
    if (title) counts.set(title, (counts.get(title) ?? 0) + 1);
  }
  return counts;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const sentBy = (bot: BotProcess) =>
  bot.logs
    .filter((entry) => entry.event === 'scheduler.tick')
    .reduce((sum, entry) => sum + Number(entry.sent ?? 0), 0);

describe('several bot instances on one outbox', () => {
  it(
    `when three processes share ${TOTAL} due reminders, then each reminder is delivered exactly once`,
    { timeout: 90_000 },
    async () => {
      connector.clear();
      connector.delayMs = 0;
      const tablePrefix = uniquePrefix();
      const bots = [await start(tablePrefix), await start(tablePrefix), await start(tablePrefix)];
      const states = await seed(tablePrefix, 2_000);

      await until(() => connector.messages().length >= TOTAL, 60_000);
      await new Promise((resolve) => setTimeout(resolve, 3_000));

      const counts = deliveries();
      const stored = await states();
      const perInstance = bots.map(sentBy);
      process.stdout.write(
        `exactly-once: ${TOTAL} due, ${counts.size} distinct delivered, ` +
          `${connector.messages().length} messages received, per instance ${perInstance.join('/')}\n`,
      );
      expect(counts.size).toBe(TOTAL);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(connector.messages()).toHaveLength(TOTAL);
      expect(stored.filter((r) => r.state === 'sent')).toHaveLength(TOTAL);
      expect(perInstance.reduce((a, b) => a + b, 0)).toBe(TOTAL);
    },
  );

  it(
    'when one process is killed (SIGKILL) in the middle of a tick and started again, then nothing is sent twice and nothing is lost without its owner being told',
    { timeout: 120_000 },
    async () => {
      connector.clear();
      connector.delayMs = 150;
      const tablePrefix = uniquePrefix();
      const bots = [await start(tablePrefix), await start(tablePrefix), await start(tablePrefix)];
      const states = await seed(tablePrefix, 2_000);

      await until(() => connector.messages().length >= TOTAL / 5, 60_000);
      // The instance that holds the claims right now (instance ids carry the process id).
      const holder = (await states()).find((r) => r.state === 'sending' || r.state === 'claimed');
      const victim = bots.find((bot) => holder?.leaseOwner?.includes(`-${bot.pid}-`)) ?? bots[0]!;
      await victim.kill('SIGKILL');
      const atKill = connector.messages().length;
      running.splice(running.indexOf(victim), 1);
      await start(tablePrefix);

      const settled = new Set(['sent', 'uncertain', 'failed', 'missed']);
      await until(async () => (await states()).every((r) => settled.has(r.state)), 60_000);
      const ownerReports = () =>
        connector
          .messages(personal)
          .map((activity) => activity.body.text ?? '')
          .filter((text) => text.includes('avbröts medan den skickades'));
      // The owners are told after the states settle, one message each through the slow
      // connector: wait for as many as there are uncertain reminders, then a while for any extra.
      const uncertainNow = (await states()).filter((r) => r.state === 'uncertain').length;
      await until(() => ownerReports().length >= uncertainNow, 60_000);
      await new Promise((resolve) => setTimeout(resolve, 3_000));

      const counts = deliveries();
      const stored = await states();
      const uncertain = stored.filter((r) => r.state === 'uncertain');
      const reports = ownerReports();
      const lostWithoutWord = stored.filter(
        (r) => !counts.has(r.title) && !(r.state === 'uncertain'),
      );
      process.stdout.write(
        `kill mid-tick: killed the instance holding the claims after ${atKill} deliveries; ${counts.size} distinct delivered, ` +
          `${[...counts.values()].filter((n) => n > 1).length} duplicated, ${uncertain.length} uncertain ` +
          `(${uncertain.filter((r) => counts.has(r.title)).length} of them arrived), ${reports.length} owner reports, ` +
          `${lostWithoutWord.length} lost without a word\n`,
      );
      expect(atKill).toBeLessThan(TOTAL);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(stored.filter((r) => r.state === 'sent').every((r) => counts.get(r.title) === 1)).toBe(
        true,
      );
      expect(stored.every((r) => r.state === 'sent' || r.state === 'uncertain')).toBe(true);
      expect(lostWithoutWord).toEqual([]);
      expect(reports).toHaveLength(uncertain.length);
    },
  );
});

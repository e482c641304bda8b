import { newId } from '../../src/ids.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { errorText } from '../../src/bot/error-text.js';
import { AppError } from '../../src/errors.js';
import { actionReminderIdOf } from '../../src/meetings/reminders/meeting-reminders.js';
import { meetingStore } from '../../src/storage/meeting-store.js';
import { reminderTable } from '../../src/storage/reminder-table.js';
import { users } from '../support/activities.js';
import { AgendaLedger } from '../support/agenda-ledger.js';
import type { BotProcess } from '../support/bot-process.js';
import { reconcileMeetingsOnce, startFaultBot } from '../support/fault-bot.js';
import { cardText, FakeConnector } from '../support/fake-connector.js';
import {
  admin,
  createSeries,
  futureDates,
  grantRoles,
  itemForm,
  itemIdOf,
  storedMeeting,
  type MeetingRef,
} from '../support/meeting-setup.js';
import { startStorageProxy, type StorageProxy } from '../support/storage-proxy.js';
import { parseAllStored, storeFor } from '../support/table-snapshot.js';
import {
  health,
  replyText,
  sleep,
  teamsClient,
  until,
  type Client,
} from '../support/teams-client.js';
import { uniquePrefix } from '../support/test-bot.js';

const channel = '19:avbrott@thread.tacv2';
const where = { kind: 'channel' as const, conversationId: channel };
const STORAGE_DOWN = errorText(new AppError('storage-unavailable'));
const CONFLICT = errorText(new AppError('conflict'));
/** A transaction in flight when the connection is cut: sent, but its answer never came. */
const OUTCOME_UNKNOWN = errorText(new AppError('outcome-unknown'));
const UNEXPECTED = errorText(new Error('unexpected'));
const WORKERS = 8;
const OPS_PER_PHASE = 64;
const OUTAGE_MS = 4_000;
const COMMANDS = ['/möte', '/uppgifter', '/påminnelser', '/roller', '/möten'];

let connector: FakeConnector;
let proxy: StorageProxy;
let bot: BotProcess;
let client: Client;
let refs: MeetingRef[];
const tablePrefix = uniquePrefix();

beforeAll(async () => {
  connector = await new FakeConnector().start();
  proxy = await startStorageProxy(inject('tableConnectionString'));
  bot = await startFaultBot(tablePrefix, { STORAGE_CONNECTION_STRING: proxy.connectionString });
  client = teamsClient(bot.url, connector);
  await grantRoles(client, [users.erik]);
  refs = await createSeries(client, where, futureDates(4));
});

afterAll(async () => {
  await bot?.kill('SIGTERM');
  await proxy?.stop();
  await connector?.stop();
});

interface Recorded {
  readonly requestId: string;
  readonly ref: MeetingRef;
  readonly n: number;
}

/** Clicks "spara" under one item during the meeting: notes, a decision and an action item. */
async function recordItem(record: Recorded, itemId: string) {
  const { card } = await client.click(
    'meeting.recordItem',
    {
      ...record.ref,
      itemId,
      requestId: record.requestId,
      notes: `Anteckning ${record.n}`,
      decision: `Beslut ${record.n}`,
      actionWhat: `Uppgift ${record.n}`,
      actionOwner: users.erik.id,
      actionDue: refs[0]!.date,
    },
    admin,
    where,
  );
  return { card, saved: cardText(card).includes('Punkten är sparad.') };
}

describe('storage stops mid-load', () => {
  /**
   * Guarantee: while storage is away users get a clear Swedish message (never a 500, never a
   * crash), /healthz says unhealthy, nothing is half-written, and once storage is back every
   * add that was acknowledged is stored exactly once. An add whose transaction was on the wire
   * when the connection was cut is told its outcome is unknown (it may or may not be stored).
   */
  it(
    'when storage is cut in the middle of concurrent agenda adds, decisions and commands, then every answer is clear Swedish, /healthz says 503, and after it returns nothing acknowledged is missing or doubled',
    { timeout: 150_000 },
    async () => {
      const ledger = new AgendaLedger();
      const statuses: number[] = [];
      const commandReplies: string[] = [];
      const recorded: Recorded[] = [];
      const recordOutcomes: boolean[] = [];
      const recordRefusals: string[] = [];
      const invokeWithoutCard: number[] = [];
      let counter = 0;

      const operation = async (n: number) => {
        const roll = (n * 7919) % 10;
        const ref = refs[n % refs.length]!;
        if (roll < 6) {
          await ledger.add(client, ref, n % 2 ? admin : users.erik, where);
        } else if (roll < 7) {
          const earlier = ledger.earlier(((n * 31) % 97) / 97);
          if (earlier) await ledger.add(client, ref, users.erik, where, earlier);
        } else if (roll < 9) {
          const { reply, replies } = await client.say(COMMANDS[n % COMMANDS.length]!, admin, where);
          statuses.push(reply.status);
          commandReplies.push(replies.map(replyText).join('\n'));
        } else {
          const added = [...ledger.acknowledged].find((id) => ledger.attempts.get(id)!.ref === ref);
          if (!added) return;
          const record = { requestId: newId(), ref, n: ++counter };
          recorded.push(record);
          const { card, saved } = await recordItem(
            record,
            itemIdOf(added, ledger.attempts.get(added)!.from.id),
          );
          if (!card) invokeWithoutCard.push(n);
          else if (!saved) recordRefusals.push(cardText(card));
          recordOutcomes.push(saved);
        }
      };
      let next = 0;
      const phase = (running: () => boolean) =>
        Promise.all(
          Array.from({ length: WORKERS }, async () => {
            while (running()) await operation(next++);
          }),
        );

      await phase(() => next < OPS_PER_PHASE);

      // The outage starts the moment a transaction has landed and its answer is lost on the way
      // back, so at least one change meets it in flight (the bot cannot ask whether it landed).
      let outageEnds = Number.POSITIVE_INFINITY;
      const outage = proxy.cutOnce(/\$batch/, 'after').then(() => {
        proxy.cut();
        outageEnds = Date.now() + OUTAGE_MS;
      });
      const healthDuring = outage.then(() => health(bot.url));
      await phase(() => Date.now() < outageEnds);
      const healthWhileDown = await healthDuring;
      const refusedConnections = proxy.stats.refused;
      proxy.restore();
      await sleep(500);
      const healthAfter = await health(bot.url);

      const restoredAt = next;
      await phase(() => next < restoredAt + OPS_PER_PHASE);

      // A user whose click failed clicks again: the decision and the action item land once.
      const retried = recorded.filter((_, i) => !recordOutcomes[i]);
      for (const record of retried) {
        const added = [...ledger.acknowledged].find(
          (id) => ledger.attempts.get(id)!.ref === record.ref,
        )!;
        await recordItem(record, itemIdOf(added, ledger.attempts.get(added)!.from.id));
      }

      // What a crash between a commit and its follow-up left out, the periodic tick repairs.
      await reconcileMeetingsOnce(tablePrefix);
      const store = storeFor(tablePrefix);
      const books = await ledger.verify(store);
      const parsed = await parseAllStored(store);
      const decisions = (
        await Promise.all(refs.map(async (ref) => (await storedMeeting(store, ref)).decisions))
      ).flat();
      const actions = await meetingStore(store).openActionsIn(channel);
      const taskReminders = await reminderTable(store).forConversation(
        channel,
        new Date(Date.now() - 86_400_000),
        new Date(Date.now() + 400 * 86_400_000),
      );
      const decisionTexts = decisions.map((d) => d.text);
      const actionsWithoutDecision = actions.filter(
        (a) => !decisionTexts.includes(a.what.replace('Uppgift', 'Beslut')),
      );
      const actionsWithoutReminder = actions.filter(
        (a) => !taskReminders.some((r) => r.id === actionReminderIdOf(a)),
      );
      const allReplies = [...ledger.refusals, ...recordRefusals, ...commandReplies];
      const storageMessages = allReplies.filter((t) => t.includes(STORAGE_DOWN)).length;
      const unknownMessages = allReplies.filter((t) => t.includes(OUTCOME_UNKNOWN)).length;
      const unexpected = allReplies.filter((t) => t.includes(UNEXPECTED)).length;
      const silentCommands = commandReplies.filter((t) => t.trim() === '').length;
      const http = [...statuses, ...ledger.replies.map((r) => r.status)];

      process.stdout.write(
        `storage outage: ${http.length} requests (${ledger.attempts.size} distinct adds, ` +
          `${commandReplies.length} commands, ${recorded.length} decisions), ` +
          `${http.filter((s) => s >= 500).length} HTTP 5xx, ${storageMessages} storage messages, ` +
          `${unknownMessages} outcome-unknown messages, ` +
          `${ledger.refusals.filter((t) => t.includes(CONFLICT)).length} conflict messages, ` +
          `${unexpected} unexpected-error messages, ${silentCommands} commands without reply; ` +
          `healthz ${healthWhileDown} during / ${healthAfter} after, ${refusedConnections} connections refused; ` +
          `${ledger.acknowledged.size} acknowledged, ${books.stored} stored, ${books.missing.length} missing, ` +
          `${books.duplicated.length} duplicated, ${books.unacknowledged.length} stored without acknowledgement; ` +
          `${retried.length} decisions clicked again, ${decisions.length} decisions, ${actions.length} action items, ` +
          `${actionsWithoutDecision.length} without decision, ${actionsWithoutReminder.length} without reminder; ` +
          `rows parsed ${JSON.stringify(parsed.checked)}\n`,
      );

      expect(http.every((status) => status === 200)).toBe(true);
      expect(invokeWithoutCard).toEqual([]);
      expect(ledger.replies.every((reply) => reply.status === 200)).toBe(true);
      expect(healthWhileDown).toBe(503);
      expect(healthAfter).toBe(200);
      expect(storageMessages).toBeGreaterThan(0);
      expect(unexpected).toBe(0);
      expect(silentCommands).toBe(0);
      expect(
        [...ledger.refusals, ...recordRefusals].filter(
          (text) =>
            !text.includes(STORAGE_DOWN) &&
            !text.includes(OUTCOME_UNKNOWN) &&
            !text.includes(CONFLICT) &&
            !text.includes('full'),
        ),
      ).toEqual([]);
      expect(books.missing).toEqual([]);
      expect(books.duplicated).toEqual([]);
      expect(new Set(decisionTexts).size).toBe(decisionTexts.length);
      expect(decisions).toHaveLength(recorded.length);
      expect(actions).toHaveLength(recorded.length);
      expect(actionsWithoutDecision).toEqual([]);
      expect(actionsWithoutReminder.map((a) => a.what)).toEqual([]);
      expect(await health(bot.url)).toBe(200);
    },
  );

  /**
   * Guarantee: when storage stops answering without refusing (lost packets), users still get
   * the Swedish message in time: every invoke is answered inside Teams' 15-second limit, and
   * /healthz says unhealthy instead of hanging.
   */
  it(
    'when storage stops answering at all, then invokes and commands still answer in time with a clear Swedish message',
    { timeout: 90_000 },
    async () => {
      proxy.stall();
      const started = Date.now();
      try {
        const [healthz, add, command] = await Promise.all([
          (async () => ({ status: await health(bot.url), ms: Date.now() - started }))(),
          client.click('agenda.add', itemForm(refs[0]!, 'Punkt utan svar'), admin, where),
          client.say('/möte', admin, where),
        ]);
        const commandText = command.replies.map(replyText).join();
        process.stdout.write(
          `storage silent: healthz ${healthz.status} after ${healthz.ms} ms; invoke ${add.reply.status} after ${add.reply.ms} ms ` +
            `(${cardText(add.card).includes(STORAGE_DOWN) ? 'storage message' : 'other answer'}); command ${command.reply.status} ` +
            `after ${command.reply.ms} ms (${commandText.includes(STORAGE_DOWN) ? 'storage message' : 'other answer'})\n`,
        );
        expect(healthz.status).toBe(503);
        expect(add.reply.status).toBe(200);
        expect(add.reply.ms).toBeLessThan(15_000);
        expect(cardText(add.card)).toContain(STORAGE_DOWN);
        expect(command.reply.status).toBe(200);
        expect(commandText).toContain(STORAGE_DOWN);
      } finally {
        proxy.restore();
      }
      await until(async () => (await health(bot.url)) === 200, 20_000);
      const after = await client.click(
        'agenda.add',
        itemForm(refs[0]!, 'Punkt efter'),
        admin,
        where,
      );
      expect(cardText(after.card)).toContain('”Punkt efter” är tillagd');
    },
  );
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wire } from '../../src/app.js';
import { errorText } from '../../src/bot/error-text.js';
import { commandTable } from '../../src/bot/command-table.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { BOT, cardAction, message, users, type Where } from '../support/activities.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { faultBotEnv } from '../support/fault-bot.js';
import { cardText, FakeConnector } from '../support/fake-connector.js';
import { cardPayload, commandArgs, FUZZ_SEED, invalidPayload } from '../support/fuzz.js';
import {
  admin,
  createSeries,
  futureDates,
  grantRoles,
  itemForm,
  itemIdOf,
} from '../support/meeting-setup.js';
import { rowCount, snapshotChanges, snapshotTables, storeFor } from '../support/table-snapshot.js';
import {
  health,
  invokeCard,
  postActivity,
  repliesTo,
  replyText,
  teamsClient,
} from '../support/teams-client.js';
import { uniquePrefix } from '../support/test-bot.js';

const COMMAND_RUNS = 600;
const VERB_RUNS = 1_500;
const INVALID_RUNS = 400;
const TIME_LIMIT_MS = 60_000;
const UNEXPECTED = errorText(new Error('unexpected'));
const channel = '19:fuzz@thread.tacv2';
const places: readonly Where[] = [
  { kind: 'channel', conversationId: channel },
  { kind: 'personal' },
  { kind: 'groupChat', conversationId: '19:fuzz-grupp@thread.v2' },
];
const people = [admin, users.erik, users.maria];

const tablePrefix = uniquePrefix();
const env = faultBotEnv(tablePrefix);
let connector: FakeConnector;
let bot: BotProcess;
let verbs: readonly string[];
let bases: Record<string, unknown>[];

beforeAll(async () => {
  connector = await new FakeConnector().start();
  bot = await startBotProcess(env);
  const config = loadConfig({ ...env, PORT: '0' });
  const wired = await wire(config, createTableStore(config.storage, config.tablePrefix), {
    logger: createLogger('silent'),
    now: () => new Date(),
  });
  verbs = wired.bot.verbs;

  const client = teamsClient(bot.url, connector);
  await grantRoles(client, [users.erik]);
  const [ref] = await createSeries(client, places[0]!, futureDates(2));
  const requestId = 'fuzz-item-000001';
  await client.click('agenda.add', itemForm(ref!, 'Fuzzpunkt', requestId), admin, places[0]!);
  const itemId = itemIdOf(requestId, admin.id);
  bases = [
    { ...ref },
    { ...ref, itemId, requestId: 'fuzz-request-01' },
    { ...ref, decisionId: itemId, requestId: 'fuzz-request-02' },
    { id: `${ref!.meetingId}.${ref!.date}.${itemId}`, conversationId: channel },
  ];
  // Every person has spoken in every place once, so later requests start from the same state.
  for (const from of people) {
    for (const where of places) await client.say('/hjälp', from, where);
  }
}, 90_000);

afterAll(async () => {
  await bot?.kill('SIGTERM');
  await connector?.stop();
});

const fuzzOptions = (numRuns: number) => ({
  seed: FUZZ_SEED,
  numRuns,
  interruptAfterTimeLimit: TIME_LIMIT_MS,
  markInterruptAsFailure: false,
});

/** The bot's body limit: a bigger body is refused with 413 before any code of ours runs. */
const BODY_LIMIT = 512 * 1024;

/** Clicks a card action; true when it was answered as it must be (a card, or 413 if too big). */
async function click(verb: string, data: unknown, from: (typeof people)[number], where: Where) {
  const activity = cardAction(verb, data as Record<string, unknown>, {
    serviceUrl: connector.url,
    from,
    where,
  });
  const reply = await postActivity(bot.url, activity);
  const tooBig = Buffer.byteLength(JSON.stringify(activity)) > BODY_LIMIT;
  expect(reply.status).toBe(tooBig ? 413 : 200);
  const card = invokeCard(reply);
  if (!tooBig) expect(card).toBeDefined();
  return { reply, card };
}

describe('a fuzzer over every command and card verb', () => {
  it('when the bot starts, then the fuzzer knows its verbs and commands from the bot itself', () => {
    expect(verbs.length).toBeGreaterThan(10);
    expect(new Set(verbs).size).toBe(verbs.length);
    expect(verbs).toContain('agenda.add');
    expect(commandTable.length).toBeGreaterThan(0);
  });

  /**
   * Guarantee: card payloads with wrong types and prototype-pollution keys, sent to every
   * verb, are refused without a 500, each answered with a card, and leave storage exactly as it
   * was (every row's etag unchanged).
   */
  it(
    'when every verb gets payloads whose fields all have the wrong type, then each answers with a card and storage is unchanged',
    { timeout: 120_000 },
    async () => {
      const store = storeFor(tablePrefix);
      const before = await snapshotTables(store);
      let runs = 0;
      const unexpected: string[] = [];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...verbs),
          invalidPayload,
          fc.constantFrom(...people),
          fc.constantFrom(...places),
          async (verb, data, from, where) => {
            runs++;
            const { card } = await click(verb, data, from, where);
            if (cardText(card).includes(UNEXPECTED)) unexpected.push(verb);
          },
        ),
        fuzzOptions(INVALID_RUNS),
      );
      const after = await snapshotTables(store);
      const changes = snapshotChanges(before, after);
      process.stdout.write(
        `fuzz invalid payloads (seed ${FUZZ_SEED}): ${runs} invokes over ${verbs.length} verbs, ` +
          `${unexpected.length} unexpected-error cards, ${rowCount(before)} rows before, ${rowCount(after)} after, ` +
          `${Object.keys(changes).length} tables changed\n`,
      );
      expect(changes).toEqual({});
      expect(unexpected).toEqual([]);
      expect(runs).toBeGreaterThanOrEqual(INVALID_RUNS / 2);
    },
  );

  /**
   * Guarantee: random payloads (wrong types, missing fields, huge strings, nested objects,
   * `__proto__` keys), alone or over a valid base, never give a 500 and always get a card.
   */
  it(
    'when every verb gets random payloads, then it never answers 500, always answers with a card, and never with the generic error',
    { timeout: 120_000 },
    async () => {
      let runs = 0;
      const perVerb = new Map<string, number>();
      const unexpected: string[] = [];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...verbs),
          cardPayload(bases),
          fc.constantFrom(...people),
          fc.constantFrom(...places),
          async (verb, data, from, where) => {
            runs++;
            perVerb.set(verb, (perVerb.get(verb) ?? 0) + 1);
            const { card } = await click(verb, data, from, where);
            if (cardText(card).includes(UNEXPECTED)) {
              unexpected.push(`${verb}(${Object.keys(data).join(',')})`);
            }
          },
        ),
        fuzzOptions(VERB_RUNS),
      );
      process.stdout.write(
        `fuzz card payloads (seed ${FUZZ_SEED}): ${runs} invokes, ${perVerb.size} of ${verbs.length} verbs hit, ` +
          `${unexpected.length} unexpected-error cards (${unexpected.join('; ') || 'none'}), ` +
          `healthz ${await health(bot.url)}\n`,
      );
      const escalation = await teamsClient(bot.url, connector).say(
        `/roller ge <at>${users.erik.name}</at> admin`,
        users.maria,
        places[1]!,
        [users.erik],
      );
      const escalated = escalation.replies.map(replyText).join().includes('har nu rollen');
      process.stdout.write(
        `after prototype-pollution payloads, a user without roles granting admin: ${escalated ? 'ALLOWED' : 'refused'}\n`,
      );
      expect(escalated).toBe(false);
      expect(unexpected).toEqual([]);
      expect(await health(bot.url)).toBe(200);
    },
  );

  /**
   * Guarantee (found by the fuzzer, seed 20261123): a meeting form with a type that is not in
   * the list comes back with a Swedish message, not the generic "something went wrong".
   */
  it('when meeting.create gets a meeting type that does not exist, then the form returns with a clear error', async () => {
    const { card } = await click(
      'meeting.create',
      { type: 'representant', name: 'Okänd typ' },
      admin,
      places[0]!,
    );
    const text = cardText(card);
    process.stdout.write(
      `fuzz regression meeting.create unknown type: ${text.includes(UNEXPECTED) ? 'generic error' : 'clear error'}\n`,
    );
    expect(text).not.toContain(UNEXPECTED);
  });

  /**
   * Guarantee: every command and alias, with random arguments (unicode, long text,
   * personnummer-like digits, @mentions, HTML entities), answers 200 with a reply (Swedish text
   * or a card), and the bot stays up.
   */
  it(
    'when every command gets random arguments, then each gets a reply and never a 500',
    { timeout: 120_000 },
    async () => {
      const words = commandTable.flatMap((spec) => [spec.name, ...spec.aliases]);
      let runs = 0;
      const unexpected: string[] = [];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...words),
          commandArgs,
          fc.constantFrom(...people),
          fc.constantFrom(...places),
          async (word, args, from, where) => {
            runs++;
            const mention = args.includes('@mention') ? [users.erik] : [];
            const text = [`/${word}`, ...args]
              .join(' ')
              .replaceAll('@mention', `<at>${users.erik.name}</at>`);
            const activity = message(text, {
              serviceUrl: connector.url,
              from,
              where,
              mention,
            });
            const reply = await postActivity(bot.url, activity);
            expect(reply.status).toBe(200);
            const replies = repliesTo(connector, activity.id);
            expect(replies.length).toBeGreaterThanOrEqual(1);
            const said = replies.map(replyText).join('\n');
            expect(said.trim()).not.toBe('');
            if (said.includes(UNEXPECTED)) unexpected.push(word);
          },
        ),
        fuzzOptions(COMMAND_RUNS),
      );
      process.stdout.write(
        `fuzz commands (seed ${FUZZ_SEED}): ${runs} messages over ${words.length} command words, ` +
          `${unexpected.length} unexpected-error replies, healthz ${await health(bot.url)}\n`,
      );
      expect(unexpected).toEqual([]);
      expect(await health(bot.url)).toBe(200);
    },
  );

  /**
   * Guarantee: activities that are not what Teams sends (broken JSON, missing parts, wrong
   * types, an oversized body) never give a 500 and never take the bot down.
   */
  it('when malformed activities arrive, then none gives a 500 and the bot stays healthy', async () => {
    const valid = message('/hjälp', { serviceUrl: connector.url });
    const raw = async (body: string) => {
      const response = await fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await response.text();
      return response.status;
    };
    const bodies: [string, string][] = [
      ['broken JSON', '{"type": "message", "text": '],
      ['empty object', '{}'],
      ['array', '[1,2,3]'],
      ['no type', JSON.stringify({ ...valid, type: undefined })],
      ['no from', JSON.stringify({ ...valid, from: undefined })],
      ['no conversation', JSON.stringify({ ...valid, conversation: undefined })],
      ['no serviceUrl', JSON.stringify({ ...valid, serviceUrl: undefined })],
      ['text is an object', JSON.stringify({ ...valid, text: { a: 1 } })],
      ['entities not a list', JSON.stringify({ ...valid, entities: 'x' })],
      ['unknown type', JSON.stringify({ ...valid, type: 'förfrågan' })],
      [
        'invoke without value',
        JSON.stringify({ ...valid, type: 'invoke', name: 'adaptiveCard/action' }),
      ],
      [
        'invoke with a string value',
        JSON.stringify({ ...valid, type: 'invoke', name: 'adaptiveCard/action', value: 'x' }),
      ],
      [
        'invoke with an unknown verb',
        JSON.stringify(cardAction('finns.inte', {}, { serviceUrl: connector.url })),
      ],
      ['recipient is not the bot', JSON.stringify({ ...valid, recipient: { id: 5 } })],
      ['other tenant', JSON.stringify({ ...valid, channelData: { tenant: { id: 'x' } } })],
      ['oversized body', JSON.stringify({ ...valid, text: `/hjälp ${'x'.repeat(700_000)}` })],
      [
        'prototype pollution',
        `{"__proto__": {"isAdmin": true}, "type": "message", "text": "/roller", "from": {"id": "29:x"}, "recipient": ${JSON.stringify(BOT)}, "conversation": {"id": "a:x"}, "channelId": "msteams", "serviceUrl": "${connector.url}"}`,
      ],
    ];
    const statuses: [string, number][] = [];
    for (const [name, body] of bodies) statuses.push([name, await raw(body)]);
    const healthy = await health(bot.url);
    process.stdout.write(
      `malformed activities: ${statuses.length} sent, statuses ${statuses.map(([, s]) => s).join('/')}, healthz ${healthy}\n`,
    );
    expect(statuses.filter(([, status]) => status >= 500)).toEqual([]);
    expect(statuses.filter(([, status]) => status === 200).length).toBeGreaterThan(0);
    const stale = await postActivity(
      bot.url,
      cardAction('uppgifter.klar', { id: 'x' }, { serviceUrl: connector.url }),
    );
    expect(cardText(invokeCard(stale))).toContain('Kortet är inaktuellt');
    expect(healthy).toBe(200);
  });
});

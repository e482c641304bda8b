import { newId } from '../../src/ids.js';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { errorText } from '../../src/bot/error-text.js';
import { AppError } from '../../src/errors.js';
import { seriesIdFor } from '../../src/meetings/series/create-series.js';
import { elementIdFor } from '../../src/meetings/series/rules.js';
import { cardAction, message, TENANT_ID, users } from '../support/activities.js';
import { actionData } from '../support/card-actions.js';
import { cardText, FakeConnector } from '../support/fake-connector.js';
import { startStorageProxy, type StorageProxy } from '../support/storage-proxy.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { grantRoles } from '../support/grant-roles.js';

/**
 * Storage stopped at each step of every meeting verb that writes: before anything is read,
 * at the transaction (refused before it reaches storage), after it (stored, answer lost), and
 * after it with storage staying away. Whatever happens, a record never exists without its audit
 * entry and marker, and what the user is told matches what is stored.
 */
const { anna, erik } = users;
const clock = new Date('2026-12-01T08:00:00Z');
const channel = '19:avbrott-steg@thread.tacv2';
const where = { kind: 'channel' as const, conversationId: channel };
const STORAGE_DOWN = errorText(new AppError('storage-unavailable'));
const OUTCOME_UNKNOWN = errorText(new AppError('outcome-unknown'));
const DATES = ['2027-02-02', '2027-02-09', '2027-02-16'];

let proxy: StorageProxy;
let connector: FakeConnector;
let bot: TestBot;

beforeAll(async () => {
  proxy = await startStorageProxy(inject('tableConnectionString'));
  connector = await new FakeConnector().start();
  bot = await startTestBot(
    {
      STORAGE_CONNECTION_STRING: proxy.connectionString,
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

const click = async (verb: string, data: Record<string, unknown>) => {
  const response = await bot.post(
    cardAction(verb, data, { serviceUrl: connector.url, from: anna, where }),
  );
  await bot.idle();
  expect(response.status).toBe(200);
  return (response.body as { value: Record<string, unknown> }).value;
};

const seriesForm = () => ({
  requestId: newId(),
  type: 'referensgrupp',
  name: 'Referensgrupp avbrott',
  recurrence: 'dates',
  dates: DATES.join(', '),
  startDate: '2026-12-01',
  time: '09:00',
  place: 'Teams',
  organisations: 'fk,region',
});

type Ref = { meetingId: string; date: string };

async function newSeries(): Promise<Ref[]> {
  const created = await click('meeting.create', seriesForm());
  const { meetingId } = actionData(created, 'agenda.open') as Ref;
  return DATES.map((date) => ({ meetingId, date }));
}

async function addItem(ref: Ref, title = 'Punkt'): Promise<string> {
  const requestId = newId();
  await click('agenda.add', {
    ...ref,
    requestId,
    title,
    category: 'fraga',
    minutes: '10',
  });
  return elementIdFor(anna.id, requestId);
}

async function record(ref: Ref, itemId: string) {
  const requestId = newId();
  await click('meeting.recordItem', {
    ...ref,
    itemId,
    requestId,
    decision: 'Beslut',
    actionWhat: 'Uppgift',
    actionOwner: erik.id,
    actionDue: '2027-03-01',
  });
  return elementIdFor(anna.id, requestId);
}

/** A verb that writes, with what it needs prepared: the partition it writes and its data. */
interface Scenario {
  readonly verb: string;
  readonly told: RegExp;
  prepare(): Promise<{ partition: string; data: Record<string, unknown> }>;
}

const scenarios: Scenario[] = [
  {
    verb: 'meeting.create',
    told: /är skapad|finns – formuläret/,
    async prepare() {
      const data = seriesForm();
      return { partition: seriesIdFor(anna.id, data.requestId), data };
    },
  },
  {
    verb: 'agenda.add',
    told: /är tillagd/,
    async prepare() {
      const [ref] = await newSeries();
      return {
        partition: ref!.meetingId,
        data: { ...ref!, requestId: newId(), title: 'Ny punkt', category: 'fraga' },
      };
    },
  },
  {
    verb: 'agenda.edit',
    told: /är ändrad/,
    async prepare() {
      const [ref] = await newSeries();
      const itemId = await addItem(ref!);
      const data = { ...ref!, itemId, title: 'Ändrad', category: 'information', minutes: '5' };
      return { partition: ref!.meetingId, data };
    },
  },
  ...(['withdraw', 'up', 'timebox', 'defer'] as const).map((action): Scenario => ({
    verb: 'agenda.item',
    told: /tillbakadragen|Ordningen är ändrad|minuter\.|flyttad till mötet/,
    async prepare() {
      const [ref] = await newSeries();
      await addItem(ref!, 'Första');
      const itemId = await addItem(ref!, 'Andra');
      const data = { ...ref!, itemId, action, number: 2, minutes: '25' };
      return { partition: ref!.meetingId, data };
    },
  })),
  {
    verb: 'meeting.attendance',
    told: /Närvaron är sparad/,
    async prepare() {
      const [ref] = await newSeries();
      return { partition: ref!.meetingId, data: { ...ref!, attendance: 'fk' } };
    },
  },
  {
    verb: 'meeting.recordItem',
    told: /Punkten är sparad/,
    async prepare() {
      const [ref] = await newSeries();
      const itemId = await addItem(ref!);
      const data = {
        ...ref!,
        itemId,
        requestId: newId(),
        notes: 'Anteckning',
        decision: 'Beslut',
        actionWhat: 'Uppgift',
        actionOwner: erik.id,
        actionDue: '2027-03-01',
      };
      return { partition: ref!.meetingId, data };
    },
  },
  {
    verb: 'meeting.correctDecision',
    told: /Rättelsen är sparad/,
    async prepare() {
      const [ref] = await newSeries();
      const decisionId = await record(ref!, await addItem(ref!));
      const data = {
        ...ref!,
        decisionId,
        requestId: newId(),
        [`correction-${decisionId}`]: 'Rättat beslut',
      };
      return { partition: ref!.meetingId, data };
    },
  },
  {
    verb: 'meeting.close',
    told: /Minnesanteckningarna/,
    async prepare() {
      const [ref] = await newSeries();
      await addItem(ref!);
      return { partition: ref!.meetingId, data: { ...ref! } };
    },
  },
  {
    verb: 'meeting.move',
    told: /Mötet är flyttat/,
    async prepare() {
      const [ref] = await newSeries();
      const data = { ...ref!, [`toDate-${ref!.meetingId}-${ref!.date}`]: '2027-02-03' };
      return { partition: ref!.meetingId, data };
    },
  },
  {
    verb: 'meeting.cancel',
    told: /Mötet är inställt/,
    async prepare() {
      const [ref] = await newSeries();
      await addItem(ref!);
      return { partition: ref!.meetingId, data: { ...ref! } };
    },
  },
  {
    verb: 'tasks.done',
    told: /markerad som klar/,
    async prepare() {
      const [ref] = await newSeries();
      const id = await record(ref!, await addItem(ref!));
      return { partition: ref!.meetingId, data: { ...ref!, id, conversationId: channel } };
    },
  },
];

/** Every row of a series partition, straight from Azurite (not through the proxy). */
async function partitionRows(partition: string): Promise<Map<string, string>> {
  const client = TableClient.fromConnectionString(
    inject('tableConnectionString'),
    `${bot.tablePrefix}Occurrences`,
    { allowInsecureConnection: true },
  );
  const rows = new Map<string, string>();
  for await (const row of client.listEntities<Record<string, unknown>>({
    queryOptions: { filter: `PartitionKey eq '${partition}'` },
  })) {
    const { etag: _etag, timestamp: _timestamp, updatedAt: _updated, ...content } = row;
    rows.set(String(row.rowKey), JSON.stringify(content));
  }
  return rows;
}

function changes(before: Map<string, string>, after: Map<string, string>) {
  const changed = [...after].filter(([key, value]) => before.get(key) !== value).map(([k]) => k);
  const count = (prefix: string) => changed.filter((key) => key.startsWith(`${prefix}|`)).length;
  return { records: count('head') + count('el'), audit: count('audit'), markers: count('req') };
}

/** Consumes a fault left armed when the verb sent no transaction (or fewer than expected). */
async function consumeArmedFault() {
  const client = TableClient.fromConnectionString(
    proxy.connectionString,
    `${bot.tablePrefix}Occurrences`,
    {
      allowInsecureConnection: true,
      retryOptions: { maxRetries: 0 },
    },
  );
  await client
    .submitTransaction([['upsert', { partitionKey: 'scratch', rowKey: newId() }]])
    .catch(() => undefined);
}

type Mode = 'down' | 'before' | 'after' | 'after-then-down';

async function run(scenario: Scenario, mode: Mode) {
  const { partition, data } = await scenario.prepare();
  const before = await partitionRows(partition);
  let keepCutting = true;
  if (mode === 'down') proxy.cut();
  if (mode === 'before') {
    const arm = () => {
      if (keepCutting) void proxy.cutOnce(/\$batch/, 'before').then(arm);
    };
    arm();
  }
  const fired =
    mode === 'after' || mode === 'after-then-down'
      ? proxy.cutOnce(/\$batch/, 'after').then(() => {
          if (mode === 'after-then-down') proxy.cut();
        })
      : undefined;
  const card = await click(scenario.verb, data);
  keepCutting = false;
  proxy.restore();
  if (mode !== 'down') await consumeArmedFault();
  await fired;
  proxy.restore();
  await bot.idle();
  const after = await partitionRows(partition);
  const text = cardText(card);
  const told = text.includes(STORAGE_DOWN)
    ? 'not saved'
    : text.includes(OUTCOME_UNKNOWN)
      ? 'unknown'
      : scenario.told.test(text)
        ? 'saved'
        : `other: ${text.slice(0, 200)}`;
  return { told, ...changes(before, after) };
}

describe('storage stopped at each step of a meeting verb', () => {
  for (const scenario of scenarios) {
    const name = `${scenario.verb}${scenario.verb === 'agenda.item' ? ` (${scenarios.indexOf(scenario)})` : ''}`;
    it(
      `when storage stops at each step of ${name}, then no record is without its audit entry and marker, and the user is told what is stored`,
      { timeout: 60_000 },
      async () => {
        const results: Record<string, Awaited<ReturnType<typeof run>>> = {};
        for (const mode of ['down', 'before', 'after', 'after-then-down'] as const) {
          results[mode] = await run(scenario, mode);
        }
        process.stdout.write(`storage cut, ${name}: ${JSON.stringify(results)}\n`);
        for (const result of Object.values(results)) {
          expect(result.audit).toBe(result.markers);
          expect(result.records > 0).toBe(result.markers > 0);
          if (result.told === 'not saved') expect(result.markers).toBe(0);
          if (result.told === 'saved') expect(result.markers).toBeGreaterThan(0);
        }
        expect(results.down!.told).toBe('not saved');
        expect(results.before!.told).toBe('not saved');
        expect(results.after!.told).toBe('saved');
        expect(results['after-then-down']!.told).toBe('unknown');
        expect(results['after-then-down']!.markers).toBeGreaterThan(0);
      },
    );
  }
});

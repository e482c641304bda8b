import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import type { AuditEntry } from '../../src/audit/audit.schema.js';
import { isAppError } from '../../src/errors.js';
import { AggregateTable, type Change, type RowKind } from '../../src/storage/aggregate-table.js';
import { MAX_STRING_LENGTH } from '../../src/storage/entity-limits.js';
import { startStorageProxy, type StorageProxy } from '../support/storage-proxy.js';
import { uniquePrefix } from '../support/test-bot.js';

const headerSchema = z.object({ title: z.string(), revision: z.number().int() });
const itemSchema = z.object({ text: z.string(), tags: z.array(z.string()) });
const kinds = {
  header: { prefix: 'h', schema: headerSchema, version: 1 } satisfies RowKind<
    z.infer<typeof headerSchema>
  >,
  item: {
    prefix: 'item',
    schema: itemSchema,
    version: 2,
    json: ['tags'],
    // Before version 2 the tags were one comma-separated string.
    upcast: (row: Record<string, unknown>) => ({ ...row, tags: String(row.tags).split(',') }),
  } satisfies RowKind<z.infer<typeof itemSchema>>,
};
type Kinds = typeof kinds;

const proxies: StorageProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
});

async function tableOf(connectionString = inject('tableConnectionString')) {
  const name = `${uniquePrefix()}agg`;
  const client = TableClient.fromConnectionString(connectionString, name, {
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
  await client.createTable();
  return { client, name, table: new AggregateTable(client, kinds, { verifyDelayMs: 50 }) };
}

const audit = (action = 'test.change'): AuditEntry => ({
  at: new Date().toISOString(),
  actorId: '29:anna',
  action,
  subjectType: 'test',
  subjectId: 'agg-1',
});

function create(title: string, items: number, key = randomUUID()): Change<Kinds> {
  return {
    writes: [
      { op: 'create', kind: 'header', id: 'head', value: { title, revision: 1 } },
      ...Array.from({ length: items }, (_, i) => ({
        op: 'create' as const,
        kind: 'item' as const,
        id: String(i).padStart(4, '0'),
        value: { text: `Punkt ${i} – åäö 😀 "citat"\nrad två`, tags: ['a', 'b'] },
      })),
    ],
    audit: [audit('test.create')],
    marker: { key, result: { items } },
  };
}

const reasonOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return isAppError(error) ? error.reason : `unexpected: ${String(error)}`;
  }
};

describe('one change, one transaction', () => {
  it('when a change is committed, then its rows, audit entry and marker are all stored', async () => {
    const { table } = await tableOf();
    const outcome = await table.commit('agg-1', create('Möte', 3));
    expect(outcome.kind).toBe('committed');
    const rows = await table.load('agg-1', ['header', 'item'], { audit: true });
    expect(rows.get('header', 'head')?.value).toEqual({ title: 'Möte', revision: 1 });
    expect(rows.list('item').map((row) => row.id)).toEqual(['0000', '0001', '0002']);
    expect(rows.list('item')[0]?.value.text).toContain('åäö 😀 "citat"\nrad två');
    expect(rows.auditEntries.map((entry) => entry.action)).toEqual(['test.create']);
  });

  it('when the same action is committed again, then nothing is written and the first result comes back', async () => {
    const { table } = await tableOf();
    const key = randomUUID();
    await table.commit('agg-1', create('Möte', 2, key));
    const again = await table.commit('agg-1', {
      ...create('Annat', 5, key),
      writes: [{ op: 'create', kind: 'item', id: '9999', value: { text: 'x', tags: [] } }],
    });
    expect(again).toEqual({ kind: 'repeated', result: { items: 2 } });
    const rows = await table.load('agg-1', ['item'], { audit: true });
    expect(rows.list('item')).toHaveLength(2);
    expect(rows.auditEntries).toHaveLength(1);
  });

  it('when two writers change from the same header etag, then one wins and the loser wrote nothing', async () => {
    const { table } = await tableOf();
    await table.commit('agg-1', create('Möte', 0));
    const header = (await table.load('agg-1', ['header'])).get('header', 'head')!;
    const change = (text: string): Change<Kinds> => ({
      writes: [
        {
          op: 'replace',
          kind: 'header',
          id: 'head',
          value: { ...header.value, revision: header.value.revision + 1 },
          etag: header.etag,
        },
        { op: 'create', kind: 'item', id: text, value: { text, tags: [] } },
      ],
      audit: [audit()],
      marker: { key: randomUUID() },
    });
    const results = await Promise.all([
      reasonOf(table.commit('agg-1', change('a'))),
      reasonOf(table.commit('agg-1', change('b'))),
    ]);
    expect(results.sort()).toEqual(['conflict', 'no error']);
    const rows = await table.load('agg-1', ['item'], { audit: true });
    expect(rows.list('item')).toHaveLength(1);
    expect(rows.auditEntries).toHaveLength(2);
  });

  it('when a landed change is sent again on the etag it was made from, then it is recognised as a repeat, not a lost race', async () => {
    const { table } = await tableOf();
    await table.commit('agg-1', create('Möte', 0));
    const header = (await table.load('agg-1', ['header'])).get('header', 'head')!;
    const key = randomUUID();
    const change: Change<Kinds> = {
      writes: [
        {
          op: 'replace',
          kind: 'header',
          id: 'head',
          value: { ...header.value, revision: 2 },
          etag: header.etag,
        },
      ],
      audit: [audit()],
      marker: { key, result: { revision: 2 } },
    };
    expect((await table.commit('agg-1', change)).kind).toBe('committed');
    expect(await table.commit('agg-1', change)).toEqual({
      kind: 'repeated',
      result: { revision: 2 },
    });
    const stale: Change<Kinds> = { ...change, marker: { key: randomUUID() } };
    expect(await reasonOf(table.commit('agg-1', stale))).toBe('conflict');
  });

  it('when a change holds more than 100 operations, then it is refused before sending and nothing is stored', async () => {
    const { table } = await tableOf();
    expect(await reasonOf(table.commit('agg-1', create('Möte', 99)))).toBe('too-large');
    expect((await table.load('agg-1')).isEmpty).toBe(true);
  });

  it('when a string exceeds 32,767 UTF-16 characters, then the write is refused before sending', async () => {
    const { table } = await tableOf();
    const change = create('Möte', 0);
    const atLimit: Change<Kinds> = {
      ...change,
      writes: [
        ...change.writes,
        {
          op: 'create',
          kind: 'item',
          id: 'max',
          value: { text: 'å'.repeat(MAX_STRING_LENGTH), tags: [] },
        },
      ],
    };
    expect((await table.commit('agg-1', atLimit)).kind).toBe('committed');
    const over: Change<Kinds> = {
      writes: [
        { op: 'create', kind: 'item', id: 'over', value: { text: '😀'.repeat(16_384), tags: [] } },
      ],
      audit: [audit()],
      marker: { key: randomUUID() },
    };
    expect(await reasonOf(table.commit('agg-1', over))).toBe('too-large');
    expect((await table.load('agg-1', ['item'])).get('item', 'over')).toBeUndefined();
  });
});

describe('rows from older versions', () => {
  it('when a row was stored in an older shape, then reading it goes through the upcaster', async () => {
    const { table, client } = await tableOf();
    await client.createEntity({
      partitionKey: 'agg-1',
      rowKey: 'item|old',
      text: 'Gammal',
      tags: 'x,y',
    });
    await client.createEntity({
      partitionKey: 'agg-1',
      rowKey: 'item|v1',
      text: 'Version 1',
      tags: 'z',
      _v: 1,
    });
    const rows = await table.load('agg-1', ['item']);
    expect(rows.get('item', 'old')?.value).toEqual({ text: 'Gammal', tags: ['x', 'y'] });
    expect(rows.get('item', 'v1')?.value).toEqual({ text: 'Version 1', tags: ['z'] });
  });

  it('when ids hold characters keys may not, then they are stored encoded and read back as written', async () => {
    const { table } = await tableOf();
    const change = create('Möte', 0);
    await table.commit('19:kanal@thread.tacv2', {
      ...change,
      writes: [
        ...change.writes,
        { op: 'create', kind: 'item', id: 'a/b#c?d\\e', value: { text: 't', tags: [] } },
      ],
    });
    const rows = await table.load('19:kanal@thread.tacv2', ['item']);
    expect(rows.list('item').map((row) => row.id)).toEqual(['a/b#c?d\\e']);
  });
});

describe('when storage fails in the middle of a change', () => {
  it('when the connection is cut before the change reaches storage, then the caller hears nothing was saved', async () => {
    const proxy = await startStorageProxy(inject('tableConnectionString'));
    proxies.push(proxy);
    const { table, client, name } = await tableOf(proxy.connectionString);
    const cut = proxy.cutOnce(/\$batch/, 'before');
    expect(await reasonOf(table.commit('agg-1', create('Möte', 2)))).toBe('storage-unavailable');
    await cut;
    const direct = new AggregateTable(
      TableClient.fromConnectionString(inject('tableConnectionString'), name, {
        allowInsecureConnection: true,
      }),
      kinds,
    );
    expect((await direct.load('agg-1', ['header', 'item'], { audit: true })).isEmpty).toBe(true);
    expect(client).toBeDefined();
  });

  it('when the change lands but its answer is lost, then the marker shows it was saved', async () => {
    const proxy = await startStorageProxy(inject('tableConnectionString'));
    proxies.push(proxy);
    const { table } = await tableOf(proxy.connectionString);
    const cut = proxy.cutOnce(/\$batch/, 'after');
    expect((await table.commit('agg-1', create('Möte', 2))).kind).toBe('committed');
    await cut;
    const rows = await table.load('agg-1', ['item'], { audit: true });
    expect(rows.list('item')).toHaveLength(2);
    expect(rows.auditEntries).toHaveLength(1);
  });

  it('when the answer is lost and storage stays down, then the caller hears the outcome is unknown', async () => {
    const proxy = await startStorageProxy(inject('tableConnectionString'));
    proxies.push(proxy);
    const { table } = await tableOf(proxy.connectionString);
    const cut = proxy.cutOnce(/\$batch/, 'after');
    void cut.then(() => proxy.cut());
    expect(await reasonOf(table.commit('agg-1', create('Möte', 2)))).toBe('outcome-unknown');
  });
});

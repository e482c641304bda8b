import { odata, TableClient } from '@azure/data-tables';
import { beforeAll, describe, expect, it, inject } from 'vitest';
import { z } from 'zod';
import { isAppError } from '../../src/errors.js';
import { EntityTable } from '../../src/storage/entity-table.js';
import { createTableStore, type TableStore } from '../../src/storage/table-store.js';
import { uniquePrefix } from '../support/test-bot.js';

const itemSchema = z.object({
  title: z.string().max(50),
  count: z.number().int(),
  tags: z.array(z.string()),
});

let store: TableStore;
let table: EntityTable<typeof itemSchema>;
let raw: TableClient;

beforeAll(async () => {
  store = createTableStore(
    { kind: 'connectionString', connectionString: inject('tableConnectionString') },
    uniquePrefix(),
  );
  await store.ensureTables();
  raw = store.client('cardMessages');
  table = new EntityTable(raw, itemSchema, ['tags']);
});

const reasonOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return isAppError(error) ? error.reason : `unexpected: ${String(error)}`;
  }
  return 'no error';
};

describe('conditional writes', () => {
  it('when a row is created, read, and replaced with its version, then the new value is stored', async () => {
    const created = await table.create('p', 'a', { title: 'Punkt', count: 1, tags: ['x', 'y'] });
    const replaced = await table.replace('p', 'a', { ...created.value, count: 2 }, created.version);
    expect(replaced.version).not.toBe(created.version);
    expect((await table.get('p', 'a'))?.value).toEqual({
      title: 'Punkt',
      count: 2,
      tags: ['x', 'y'],
    });
  });

  it('when two writers replace from the same version, then the second gets a conflict and loses nothing', async () => {
    const created = await table.create('p', 'b', { title: 'B', count: 0, tags: [] });
    await table.replace('p', 'b', { ...created.value, count: 1 }, created.version);
    expect(
      await reasonOf(table.replace('p', 'b', { ...created.value, count: 99 }, created.version)),
    ).toBe('conflict');
    expect((await table.get('p', 'b'))?.value.count).toBe(1);
  });

  it('when the same row is created twice, then the second create says already-exists', async () => {
    await table.create('p', 'c', { title: 'C', count: 0, tags: [] });
    expect(await reasonOf(table.create('p', 'c', { title: 'C2', count: 0, tags: [] }))).toBe(
      'already-exists',
    );
  });

  it('when a row is removed with a stale version, then it stays', async () => {
    const created = await table.create('p', 'd', { title: 'D', count: 0, tags: [] });
    await table.replace('p', 'd', { ...created.value, count: 1 }, created.version);
    expect(await reasonOf(table.remove('p', 'd', created.version))).toBe('conflict');
    expect(await table.get('p', 'd')).toBeDefined();
  });

  it('when a write has no version or the wildcard, then it is refused before reaching storage', async () => {
    await expect(table.replace('p', 'a', { title: 'x', count: 0, tags: [] }, '*')).rejects.toThrow(
      /conditional/,
    );
    await expect(table.remove('p', 'a', '')).rejects.toThrow(/conditional/);
  });

  it('when a value breaks its schema, then nothing is written', async () => {
    await expect(
      table.create('p', 'e', { title: 'x'.repeat(51), count: 0, tags: [] }),
    ).rejects.toThrow();
    expect(await table.get('p', 'e')).toBeUndefined();
  });

  it('when a stored row does not match its schema, then reading it fails loudly instead of returning bad data', async () => {
    await raw.createEntity({
      partitionKey: 'p',
      rowKey: 'corrupt',
      title: 42,
      count: 'many',
      tags: '[]',
    });
    await expect(table.get('p', 'corrupt')).rejects.toThrow();
  });
});

describe('queries', () => {
  it('when 25 rows match, then paging by 10 returns 10, 10 and 5 and then no cursor', async () => {
    for (let i = 0; i < 25; i++) {
      await table.create('page', `r${String(i).padStart(2, '0')}`, {
        title: `T${i}`,
        count: i,
        tags: [],
      });
    }
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await table.page(odata`PartitionKey eq ${'page'}`, 10, cursor);
      sizes.push(page.items.length);
      cursor = page.cursor;
    } while (cursor);
    expect(sizes).toEqual([10, 10, 5]);
    let total = 0;
    for await (const row of table.all(odata`PartitionKey eq ${'page'} and count ge ${20}`))
      total += row.value.count;
    expect(total).toBe(20 + 21 + 22 + 23 + 24);
  });

  it('when a filter value contains a quote, then it is escaped and cannot widen the query', async () => {
    await table.create('q', 'o', { title: "O'Brien", count: 1, tags: [] });
    const hostile = "x' or PartitionKey ne '";
    const page = await table.page(odata`PartitionKey eq ${hostile}`, 100);
    expect(page.items).toHaveLength(0);
    const exact = await table.page(odata`PartitionKey eq ${'q'} and title eq ${"O'Brien"}`, 100);
    expect(exact.items.map((row) => row.value.title)).toEqual(["O'Brien"]);
  });
});

describe('outages', () => {
  it('when storage cannot be reached, then the error is storage-unavailable and the ping fails', async () => {
    const closed = createTableStore(
      {
        kind: 'connectionString',
        connectionString:
          'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;',
      },
      'closed',
    );
    const unreachable = new EntityTable(closed.client('members'), itemSchema);
    expect(await reasonOf(unreachable.get('p', 'a'))).toBe('storage-unavailable');
    await expect(closed.ping(1000)).rejects.toBeDefined();
  });
});

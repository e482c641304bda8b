import { odata, TableClient } from '@azure/data-tables';
import { describe, expect, inject, it } from 'vitest';
import { uniquePrefix } from '../support/test-bot.js';

/**
 * The report rows' incremental read relies on two things the emulator must do as Azure does:
 * filter on `Timestamp` with a datetime literal, and stamp every write (single or in a batch).
 */
async function table() {
  const client = TableClient.fromConnectionString(
    inject('tableConnectionString'),
    `${uniquePrefix()}Stamps`,
    { allowInsecureConnection: true },
  );
  await client.createTable();
  return client;
}
const pause = () => new Promise((resolve) => setTimeout(resolve, 15));
async function stamps(client: TableClient, filter = "PartitionKey eq 'p'") {
  const found = new Map<string, string>();
  for await (const row of client.listEntities({
    queryOptions: { filter, select: ['RowKey', 'Timestamp'] },
  })) {
    found.set(String(row.rowKey), String(row.timestamp));
  }
  return found;
}

describe('Azurite and Timestamp', () => {
  it('when rows are written alone and in batches, then each write moves its Timestamp forward', async () => {
    const client = await table();
    await client.createEntity({ partitionKey: 'p', rowKey: 'a', n: 1 });
    await client.createEntity({ partitionKey: 'p', rowKey: 'b', n: 1 });
    const first = await stamps(client);
    await pause();
    await client.submitTransaction([
      ['update', { partitionKey: 'p', rowKey: 'a', n: 2 }, 'Replace'],
      ['upsert', { partitionKey: 'p', rowKey: 'c', n: 1 }, 'Merge'],
    ]);
    const second = await stamps(client);
    await pause();
    await client.submitTransaction([['upsert', { partitionKey: 'p', rowKey: 'b', n: 3 }, 'Merge']]);
    await client.updateEntity({ partitionKey: 'p', rowKey: 'c', n: 2 }, 'Merge');
    const third = await stamps(client);

    expect(second.get('a')! > first.get('a')!).toBe(true);
    expect(second.get('b')).toBe(first.get('b'));
    expect(second.get('c')! > first.get('b')!).toBe(true);
    expect(third.get('b')! > second.get('c')!).toBe(true);
    expect(third.get('c')! > second.get('c')!).toBe(true);
    expect(third.get('a')).toBe(second.get('a'));
    expect(first.get('a')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,7}Z$/);
  });

  it('when a query filters on Timestamp with a datetime literal, then only rows written at or after it come back', async () => {
    const client = await table();
    await client.createEntity({ partitionKey: 'p', rowKey: 'old' });
    await pause();
    await client.createEntity({ partitionKey: 'p', rowKey: 'new' });
    const since = new Date(Date.parse((await stamps(client)).get('new')!));
    await client.submitTransaction([['create', { partitionKey: 'p', rowKey: 'newer' }]]);

    const filter = odata`PartitionKey eq 'p' and Timestamp ge ${since}`;
    expect(filter).toContain("datetime'");
    expect([...(await stamps(client, filter)).keys()].sort()).toEqual(['new', 'newer']);
  });
});

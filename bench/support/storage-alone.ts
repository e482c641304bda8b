import { odata, TableClient, type TransactionAction } from '@azure/data-tables';
import type { BenchContext } from './context.js';
import { runLevel, type LevelResult } from './load.js';

const PER_USER = 20;
const LEVELS = [1, 8];

/** A table straight on Azurite (not through the counting proxy), from this process. */
export const rawTable = (ctx: BenchContext, name: string) =>
  TableClient.fromConnectionString(ctx.azurite.connectionString, name, {
    allowInsecureConnection: true,
  });

/** The first `size` rows of a key range in one partition, in one request. */
export const rangeRead = (
  table: TableClient,
  partitionKey: string,
  from: string,
  to: string,
  size: number,
) =>
  table
    .listEntities({
      queryOptions: {
        filter: odata`PartitionKey eq ${partitionKey} and RowKey ge ${from} and RowKey lt ${to}`,
      },
    })
    .byPage({ maxPageSize: size })
    .next();

/** A transaction of `count` new rows under `prefix` in one partition. */
export const scratchBatch = (
  table: TableClient,
  partitionKey: string,
  prefix: string,
  count: number,
) => {
  const actions: TransactionAction[] = Array.from({ length: count }, (_, k) => [
    'create',
    { partitionKey, rowKey: `${prefix}|${k}`, note: 'Förslag på gemensam kartläggningsmall.' },
  ]);
  return table.submitTransaction(actions);
};

/**
 * An action's storage alone, without the bot: `once(user, iteration, run)` does the same table
 * operations the action does on its answer path, straight to Azurite; measured at 1 and 8 users
 * like the actions. No action can be faster than its storage.
 */
export async function measureStorageAlone(
  once: (user: number, iteration: number, run: number) => Promise<boolean>,
): Promise<LevelResult[]> {
  const levels: LevelResult[] = [];
  for (const [run, users] of LEVELS.entries()) {
    levels.push(await runLevel(users, PER_USER, (user, iteration) => once(user, iteration, run)));
  }
  return levels;
}

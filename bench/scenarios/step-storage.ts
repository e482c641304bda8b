import { odata, TableClient, type TransactionAction } from '@azure/data-tables';
import { participantRowKeys } from '../../src/storage/participant-tables.js';
import type { BenchContext } from '../support/context.js';
import { runLevel, type LevelResult } from '../support/load.js';
import { BENCH_LANSDELAR, benchCode } from './participants.js';

const PER_USER = 20;
const LEVELS = [1, 8];

/**
 * The storage a participant step needs, alone: straight to Azurite from this process, without
 * the bot, its three table operations on the seeded participant table (a point read of a header,
 * then the first 21 history rows alongside a four-row transaction in the same partition). No
 * step can be faster than this; it shows how much of a step's time is the storage emulator's
 * (Azurite scans the whole table for every query and copies it for every transaction).
 */
export async function measureStepStorage(
  ctx: BenchContext,
  prefix: string,
): Promise<LevelResult[]> {
  const table = TableClient.fromConnectionString(
    ctx.azurite.connectionString,
    `${prefix}Participants`,
    { allowInsecureConnection: true },
  );
  const levels: LevelResult[] = [];
  let run = 0;
  for (const users of LEVELS) {
    run++;
    levels.push(
      await runLevel(users, PER_USER, async (user, iteration) => {
        const n = 5_000 + run * 1_000 + user * PER_USER + iteration;
        const code = benchCode(n);
        const partitionKey = BENCH_LANSDELAR[n % BENCH_LANSDELAR.length]!.id;
        await table.getEntity(partitionKey, participantRowKeys.header(code));
        const from = participantRowKeys.event(code, '9999-12-31', 9_999_999);
        const to = `e|${code}}`;
        const page = table
          .listEntities({
            queryOptions: {
              filter: odata`PartitionKey eq ${partitionKey} and RowKey ge ${from} and RowKey lt ${to}`,
            },
          })
          .byPage({ maxPageSize: 21 })
          .next();
        const scratch = `zbench|${run}|${user}|${iteration}`;
        const batch: TransactionAction[] = [0, 1, 2, 3].map((k) => [
          'create',
          { partitionKey, rowKey: `${scratch}|${k}`, note: 'Startar arbetsträning hos kommunen.' },
        ]);
        const [read] = await Promise.all([page, table.submitTransaction(batch)]);
        return !read.done && read.value.length > 0;
      }),
    );
  }
  return levels;
}

import { participantRowKeys } from '../../src/storage/participant-tables.js';
import type { BenchContext } from '../support/context.js';
import type { LevelResult } from '../support/load.js';
import {
  measureStorageAlone,
  rangeRead,
  rawTable,
  scratchBatch,
} from '../support/storage-alone.js';
import { BENCH_LANSDELAR, benchCode } from './participants.js';

/**
 * A participant step's storage alone, on the seeded participant table: a point read of a
 * header, then the first 21 history rows alongside a four-row transaction in the same partition
 * (Azurite scans the whole table for every query and copies it for every transaction).
 */
export function measureStepStorage(ctx: BenchContext, prefix: string): Promise<LevelResult[]> {
  const table = rawTable(ctx, `${prefix}Participants`);
  return measureStorageAlone(async (user, iteration, run) => {
    const n = 6_000 + run * 1_000 + user * 20 + iteration;
    const code = benchCode(n);
    const partitionKey = BENCH_LANSDELAR[n % BENCH_LANSDELAR.length]!.id;
    await table.getEntity(partitionKey, participantRowKeys.header(code));
    const [read] = await Promise.all([
      rangeRead(
        table,
        partitionKey,
        participantRowKeys.event(code, '9999-12-31', 9_999_999),
        `e|${code}}`,
        21,
      ),
      scratchBatch(table, partitionKey, `zbench|${run}|${user}|${iteration}`, 4),
    ]);
    return !read.done && read.value.length > 0;
  });
}

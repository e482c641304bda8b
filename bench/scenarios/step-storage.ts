import { participantRowKeys } from '../../src/storage/participant-tables.js';
import type { BenchContext } from '../support/context.js';
import type { LevelResult } from '../support/load.js';
import { measureStorageAlone, rawTable, scratchBatch } from '../support/storage-alone.js';
import { BENCH_LANSDELAR, benchCode } from './participants.js';

/**
 * A participant step's storage alone, on the seeded participant table: point reads of a header
 * and of its kept first page side by side, then a five-row transaction (header, history row,
 * first page, audit entry, request marker) in the same partition (Azurite scans the whole table
 * for every query and copies it for every transaction).
 */
export function measureStepStorage(ctx: BenchContext, prefix: string): Promise<LevelResult[]> {
  const table = rawTable(ctx, `${prefix}Participants`);
  return measureStorageAlone(async (user, iteration, run) => {
    const n = 6_000 + run * 1_000 + user * 20 + iteration;
    const code = benchCode(n);
    const partitionKey = BENCH_LANSDELAR[n % BENCH_LANSDELAR.length]!.id;
    const [, page] = await Promise.all([
      table.getEntity(partitionKey, participantRowKeys.header(code)),
      table.getEntity<{ events: string }>(partitionKey, participantRowKeys.firstPage(code)),
    ]);
    await scratchBatch(table, partitionKey, `zbench|${run}|${user}|${iteration}`, 5);
    return page.events.length > 2;
  });
}

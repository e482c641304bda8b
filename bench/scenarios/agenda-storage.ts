import type { TableClient } from '@azure/data-tables';
import type { BenchContext } from '../support/context.js';
import type { LevelResult } from '../support/load.js';
import {
  measureStorageAlone,
  rangeRead,
  rawTable,
  scratchBatch,
} from '../support/storage-alone.js';

/**
 * Adding an agenda item's storage alone, on the meetings table the agenda scenario filled: per
 * user a meeting-sized partition (a series head, 11 occurrence heads, 40 items), then per action
 * its two range reads at once (the heads, the occurrence's rows) and a four-row transaction.
 */
export async function measureAgendaStorage(
  ctx: BenchContext,
  prefix: string,
): Promise<LevelResult[]> {
  const table = rawTable(ctx, `${prefix}Occurrences`);
  for (let user = 0; user < 8; user++) {
    const partitionKey = `zbench-agenda-${user}`;
    const rows = [
      ...Array.from({ length: 12 }, (_, k) => `head|${String(k).padStart(2, '0')}`),
      ...Array.from({ length: 40 }, (_, k) => `el|2027-01-12|${String(k).padStart(2, '0')}`),
    ];
    for (let i = 0; i < rows.length; i += 100) {
      await table.submitTransaction(
        rows
          .slice(i, i + 100)
          .map((rowKey) => [
            'create',
            { partitionKey, rowKey, title: 'Gemensam kartläggningsmall', notes: 'x'.repeat(400) },
          ]),
      );
    }
  }
  return measureStorageAlone((user, iteration, run) =>
    agendaItemOperations(table, user, `zbench|${run}|${iteration}`),
  );
}

/**
 * Adding an agenda item's table operations in user `user`'s partition of the filled table: its
 * two range reads at once, then a four-row transaction of new rows under `prefix`. True when the
 * reads found the partition as filled.
 */
export async function agendaItemOperations(
  table: TableClient,
  user: number,
  prefix: string,
): Promise<boolean> {
  const partitionKey = `zbench-agenda-${user}`;
  const [heads, items] = await Promise.all([
    rangeRead(table, partitionKey, 'head|', 'head}', 1000),
    rangeRead(table, partitionKey, 'el|2027-01-12|', 'el|2027-01-12|~', 1000),
  ]);
  await scratchBatch(table, partitionKey, prefix, 4);
  return !heads.done && !items.done && heads.value.length === 12 && items.value.length === 40;
}

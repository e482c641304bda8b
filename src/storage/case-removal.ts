import { createHash } from 'node:crypto';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { caseStatisticSchema, type CaseStatistic } from '../cases/cases.schema.js';
import { isAppError } from '../errors.js';
import {
  casePrefix,
  closedRowId,
  codeParts,
  conversationKey,
  pad6,
  yearPartition,
} from './case-rows.js';
import type { CaseYears } from './case-years.js';
import { MAX_BATCH_OPERATIONS } from './entity-limits.js';
import { EntityTable } from './entity-table.js';
import { isNotFound, toAppError } from './table-errors.js';
import type { TableStore } from './table-store.js';

type Keys = { readonly partitionKey: string; readonly rowKey: string };

/** Row keys (and a few properties) matching a filter, every page. */
async function keysOf(table: TableClient, filter: string, select: string[] = []) {
  const rows: (Keys & Record<string, unknown>)[] = [];
  try {
    const pages = table
      .listEntities<Record<string, unknown>>({
        queryOptions: { filter, select: ['PartitionKey', 'RowKey', ...select] },
      })
      .byPage({ maxPageSize: 1000 });
    for await (const page of pages) {
      for (const row of page) {
        rows.push({ ...row, partitionKey: String(row.partitionKey), rowKey: String(row.rowKey) });
      }
    }
  } catch (error) {
    throw toAppError(error);
  }
  return rows;
}

/** Deletes rows of one partition, 100 to a transaction; the last batch holds `last`. */
async function deleteRows(table: TableClient, rows: readonly Keys[], last: readonly Keys[] = []) {
  const head = rows.slice(0, Math.max(0, rows.length - (MAX_BATCH_OPERATIONS - last.length)));
  const tail = [...rows.slice(head.length), ...last];
  const batches: Keys[][] = [];
  for (let i = 0; i < head.length; i += MAX_BATCH_OPERATIONS) {
    batches.push(head.slice(i, i + MAX_BATCH_OPERATIONS));
  }
  if (tail.length > 0) batches.push(tail);
  for (const batch of batches) {
    const actions = batch.map((row): TransactionAction => [
      'delete',
      { partitionKey: row.partitionKey, rowKey: row.rowKey },
    ]);
    try {
      await table.submitTransaction(actions);
    } catch (error) {
      if (!isNotFound(error)) throw toAppError(error);
      // Another run removed some of them first: remove what is left one by one.
      for (const row of batch) {
        await table.deleteEntity(row.partitionKey, row.rowKey).catch((missing: unknown) => {
          if (!isNotFound(missing)) throw toAppError(missing);
        });
      }
    }
  }
}

const statisticKey = (code: string) =>
  createHash('sha256').update(`case-statistic|${code}`).digest('hex').slice(0, 32);

/**
 * Removing cases: the reduction of a closed case to an anonymous statistic (gallring and erasure)
 * and the gallring of old audit log rows.
 * @remarks The statistic is written first and keyed by the case code (never reused), so a run
 * repeated after a crash counts the case once. The case's head and its queue or archive line go
 * in the last transaction: until then the case is still found, so an interrupted removal is
 * finished by the next run.
 */
export function caseRemoval(store: TableStore, years: CaseYears) {
  const table = store.client('cases');
  const statistics = new EntityTable(store.client('caseStatistics'), caseStatisticSchema);

  return {
    async reduce(code: string, statistic: CaseStatistic): Promise<void> {
      try {
        await statistics.create(statistic.month, statisticKey(code), statistic);
      } catch (error) {
        if (!isAppError(error, 'already-exists')) throw error;
      }
      const { year, number } = codeParts(code);
      const partitionKey = yearPartition(year);
      const prefix = casePrefix(number);
      const rows = await keysOf(
        table,
        odata`PartitionKey eq ${partitionKey} and RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}`,
        ['conversationId', 'closedAt'],
      );
      const head = rows.find((row) => row.rowKey.startsWith(`${prefix}a|`));
      const index: Keys[] = [];
      if (head && typeof head.conversationId === 'string') {
        const lines = `o|${conversationKey(head.conversationId)}|${pad6(number)}|`;
        index.push(
          ...(await keysOf(
            table,
            odata`PartitionKey eq ${partitionKey} and RowKey ge ${lines} and RowKey lt ${`${lines}~`}`,
          )),
        );
      }
      if (head && typeof head.closedAt === 'string') {
        const closed = `z|${closedRowId(head.closedAt, number)}`;
        const found = await keysOf(
          table,
          odata`PartitionKey eq ${partitionKey} and RowKey eq ${closed}`,
        );
        index.push(...found);
      }
      const rest = rows.filter((row) => row !== head);
      await deleteRows(table, rest, head ? [head, ...index] : index);
    },

    async statistics(): Promise<CaseStatistic[]> {
      const rows: CaseStatistic[] = [];
      for await (const row of statistics.all()) rows.push(row.value);
      return rows;
    },

    /** Audit log rows of cases written before `cutoff`. */
    async purgeLog(cutoff: Date, dryRun: boolean): Promise<number> {
      let count = 0;
      for (const year of await years.allYears()) {
        const rows = await keysOf(
          table,
          odata`PartitionKey eq ${yearPartition(year)} and _k eq ${'log'} and at lt ${cutoff.toISOString()}`,
        );
        count += rows.length;
        if (!dryRun) await deleteRows(table, rows);
      }
      return count;
    },
  };
}

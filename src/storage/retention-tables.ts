import { odata } from '@azure/data-tables';
import { z } from 'zod';
import { auditEntrySchema } from '../audit/audit.schema.js';
import { isAppError } from '../errors.js';
import type { RetentionLeases, RetentionSource } from '../retention/retention.schema.js';
import { EntityTable } from './entity-table.js';
import { encodeKey } from './keys.js';
import type { TableStore } from './table-store.js';

const CLAIMS = 'claim';
const leaseSchema = z.object({
  key: z.string().max(200),
  instanceId: z.string().max(200),
  at: z.iso.datetime(),
});

/** One row per claim: creating it is the claim, so a daily run or a click runs exactly once. */
export function retentionLeaseTable(store: TableStore, now: () => Date): RetentionLeases {
  const table = new EntityTable(store.client('retention'), leaseSchema);
  return {
    async claim(key, instanceId) {
      try {
        await table.create(CLAIMS, encodeKey(key), { key, instanceId, at: now().toISOString() });
        return true;
      } catch (error) {
        if (isAppError(error, 'already-exists')) return false;
        throw error;
      }
    },
  };
}

/** Audit rows kept beside their subject (a case's log) instead of in the shared audit table. */
export interface KeptAudit {
  /** Rows written before `cutoff`: counted, and removed unless `dryRun`. */
  purgeLog(cutoff: Date, dryRun: boolean): Promise<number>;
}

/**
 * Audit entries older than the period are removed: from the shared audit table (row keys start
 * with the entry's time, so the filter is a key range in every partition) and from the logs kept
 * beside their subjects.
 */
export function auditRetention(
  store: TableStore,
  kept: readonly KeptAudit[] = [],
): RetentionSource {
  const table = new EntityTable(store.client('audit'), auditEntrySchema, ['details']);
  const due = (cutoff: Date) => table.all(odata`RowKey lt ${cutoff.toISOString()}`);
  const keptCount = async (cutoff: Date, dryRun: boolean) => {
    let count = 0;
    for (const source of kept) count += await source.purgeLog(cutoff, dryRun);
    return count;
  };
  return {
    kind: 'audit',
    label: 'Granskningslogg',
    async preview(cutoff) {
      let removed = 0;
      for await (const row of due(cutoff)) if (row.version) removed++;
      return { removed: removed + (await keptCount(cutoff, true)), anonymised: 0 };
    },
    async purge(cutoff) {
      const rows: { partitionKey: string; rowKey: string; version: string }[] = [];
      for await (const row of table.allWithKeys(odata`RowKey lt ${cutoff.toISOString()}`)) {
        rows.push(row);
      }
      for (const row of rows) await table.remove(row.partitionKey, row.rowKey, row.version);
      return { removed: rows.length + (await keptCount(cutoff, false)), anonymised: 0 };
    },
  };
}

import { z } from 'zod';
import type { TableName, TableStore } from './table-store.js';
import { isConflict, toAppError } from './table-errors.js';

/** One exported row: its keys and every property with its EDM type, so a restore is exact. */
export const backupRowSchema = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  properties: z.record(
    z.string(),
    z.object({
      value: z.union([z.string(), z.number(), z.boolean()]),
      type: z.enum(['Binary', 'Boolean', 'DateTime', 'Double', 'Guid', 'Int32', 'Int64', 'String']),
    }),
  ),
});
export type BackupRow = z.infer<typeof backupRowSchema>;

const skipped = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp', 'odata.metadata']);

/** Every row of one table, page by page, typed (nothing converted, nothing dropped). */
export async function* exportTable(store: TableStore, name: TableName): AsyncGenerator<BackupRow> {
  try {
    const rows = store.client(name).listEntities<Record<string, unknown>>({
      disableTypeConversion: true,
    });
    for await (const row of rows) {
      const properties: BackupRow['properties'] = {};
      for (const [key, value] of Object.entries(row)) {
        if (!skipped.has(key) && !key.endsWith('@odata.type')) {
          properties[key] = value as BackupRow['properties'][string];
        }
      }
      yield backupRowSchema.parse({
        partitionKey: row.partitionKey,
        rowKey: row.rowKey,
        properties,
      });
    }
  } catch (error) {
    throw toAppError(error);
  }
}

export interface RestoreCount {
  readonly created: number;
  /** Rows that already existed; a restore never overwrites. */
  readonly existing: number;
}

/**
 * Writes rows back with conditional creates: a row that exists is left as it is, so running a
 * restore twice, or into a store that kept some rows, never doubles or overwrites anything.
 */
export async function restoreTable(
  store: TableStore,
  name: TableName,
  rows: AsyncIterable<BackupRow>,
): Promise<RestoreCount> {
  const client = store.client(name);
  let created = 0;
  let existing = 0;
  for await (const row of rows) {
    const checked = backupRowSchema.parse(row);
    try {
      await client.createEntity({
        partitionKey: checked.partitionKey,
        rowKey: checked.rowKey,
        ...checked.properties,
      });
      created++;
    } catch (error) {
      if (!isConflict(error)) throw toAppError(error);
      existing++;
    }
  }
  return { created, existing };
}

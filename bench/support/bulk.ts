import { TableClient, type TransactionAction } from '@azure/data-tables';

/** A stored value as the table holds it: arrays and objects as JSON text, no empty fields. */
function asEntity(value: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || field === null) continue;
    row[key] = typeof field === 'object' ? JSON.stringify(field) : field;
  }
  return row;
}

export interface BulkRow {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly value: Record<string, unknown>;
}

/**
 * Loads many rows straight into a table, 100 to a transaction within one partition and eight
 * transactions at a time: how the benchmark fills storage before it measures.
 */
export async function loadRows(
  connectionString: string,
  tableName: string,
  rows: readonly BulkRow[],
): Promise<void> {
  const table = TableClient.fromConnectionString(connectionString, tableName, {
    allowInsecureConnection: true,
  });
  await table.createTable();
  const byPartition = new Map<string, BulkRow[]>();
  for (const row of rows) {
    const list = byPartition.get(row.partitionKey) ?? [];
    list.push(row);
    byPartition.set(row.partitionKey, list);
  }
  const batches: TransactionAction[][] = [];
  for (const list of byPartition.values()) {
    for (let i = 0; i < list.length; i += 100) {
      batches.push(
        list
          .slice(i, i + 100)
          .map((row): TransactionAction => [
            'create',
            { partitionKey: row.partitionKey, rowKey: row.rowKey, ...asEntity(row.value) },
          ]),
      );
    }
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) await table.submitTransaction(batches[next++]!);
    }),
  );
}

import { inject } from 'vitest';
import { z } from 'zod';
import { memberSchema, organisationSchema } from '../../src/access/access.schema.js';
import { auditEntrySchema } from '../../src/audit/audit.schema.js';
import {
  cardMessageSchema,
  conversationRecordSchema,
} from '../../src/conversations/conversations.schema.js';
import { checkMeetingRow } from '../../src/storage/meeting-store.js';
import {
  legacyActionItemSchema,
  legacyDecisionSchema,
  legacySeriesSchema,
} from '../../src/storage/meeting-legacy.js';
import { reminderSchema } from '../../src/reminders/reminders.schema.js';
import { EntityTable } from '../../src/storage/entity-table.js';
import {
  createTableStore,
  TABLE_NAMES,
  type TableName,
  type TableStore,
} from '../../src/storage/table-store.js';

/** The run's Azurite under a table prefix, as the bot under test sees it. */
export function storeFor(tablePrefix: string, connectionString = inject('tableConnectionString')) {
  return createTableStore({ kind: 'connectionString', connectionString }, tablePrefix);
}

/** Every row of every table as `PartitionKey|RowKey|<version>`, sorted per table. */
export type TableSnapshot = Record<string, string[]>;

const bookkeeping = new Set(['etag', 'timestamp', 'odata.metadata', 'updatedAt']);

/**
 * Lists every row of every table. `version` is the row's etag by default (any write shows),
 * or with `by: 'content'` its stored properties without etag, timestamp and `updatedAt` (only
 * a write that changes what is stored shows).
 */
export async function snapshotTables(
  store: TableStore,
  by: 'etag' | 'content' = 'etag',
): Promise<TableSnapshot> {
  const snapshot: TableSnapshot = {};
  for (const name of TABLE_NAMES) {
    const rows: string[] = [];
    for await (const row of store.client(name).listEntities()) {
      const version =
        by === 'etag'
          ? row.etag
          : JSON.stringify(
              Object.entries(row)
                .filter(([key]) => !bookkeeping.has(key))
                .sort(([a], [b]) => a.localeCompare(b)),
            );
      rows.push(`${row.partitionKey}|${row.rowKey}|${version}`);
    }
    snapshot[name] = rows.sort();
  }
  return snapshot;
}

/** Rows added, removed or rewritten between two snapshots, per table (empty when equal). */
export function snapshotChanges(before: TableSnapshot, after: TableSnapshot) {
  const changes: Record<string, { added: string[]; removed: string[] }> = {};
  for (const name of Object.keys({ ...before, ...after })) {
    const was = new Set(before[name] ?? []);
    const is = new Set(after[name] ?? []);
    const added = [...is].filter((row) => !was.has(row));
    const removed = [...was].filter((row) => !is.has(row));
    if (added.length > 0 || removed.length > 0) changes[name] = { added, removed };
  }
  return changes;
}

export const rowCount = (snapshot: TableSnapshot) =>
  Object.values(snapshot).reduce((sum, rows) => sum + rows.length, 0);

type Row = Record<string, unknown>;

/** How each table's rows are stored: the schema the repositories read them with. */
const storedShapes: Partial<Record<TableName, { schema: z.ZodType<Row>; json: string[] }>> = {
  organisations: { schema: organisationSchema, json: ['aliases'] },
  members: { schema: memberSchema, json: ['roles'] },
  conversations: { schema: conversationRecordSchema, json: ['reference'] },
  cardMessages: { schema: cardMessageSchema, json: [] },
  audit: { schema: auditEntrySchema, json: ['details'] },
  reminders: {
    schema: z.union([reminderSchema, z.object({ sweptUntil: z.iso.datetime() })]),
    json: [],
  },
  // The channel index of series (old series rows, in their own shape, serve as their own entry).
  meetings: {
    schema: z.union([legacySeriesSchema, z.object({ createdAt: z.iso.datetime() })]),
    json: ['schedule', 'organisations', 'offsets'],
  },
  decisions: { schema: legacyDecisionSchema, json: [] },
  actionItems: { schema: legacyActionItemSchema, json: [] },
};

/**
 * Reads every row of every table the way the repositories do (zod schema on the way out) and
 * counts them; a row that does not parse throws, naming its table. Tables added later without a
 * known schema are counted under `unchecked`.
 */
export async function parseAllStored(
  store: TableStore,
): Promise<{ checked: Record<string, number>; unchecked: string[] }> {
  const checked: Record<string, number> = {};
  const unchecked: string[] = [];
  for (const name of TABLE_NAMES) {
    if (name === 'occurrences') {
      checked[name] = await checkSeriesRows(store);
      continue;
    }
    if (name === 'members') {
      checked[name] = await checkMemberRows(store);
      continue;
    }
    const shape = storedShapes[name];
    if (!shape) {
      unchecked.push(name);
      continue;
    }
    const table = new EntityTable(store.client(name), shape.schema, shape.json as never[]);
    let count = 0;
    try {
      for await (const row of table.all()) {
        if (row.value) count++;
      }
    } catch (error) {
      throw new Error(`A stored row in ${name} does not parse`, { cause: error });
    }
    checked[name] = count;
  }
  return { checked, unchecked };
}

/** The series aggregates: every row checked by its kind, as the meeting store reads it. */
async function checkSeriesRows(store: TableStore): Promise<number> {
  let count = 0;
  for await (const row of store.client('occurrences').listEntities<Row>()) {
    try {
      checkMeetingRow(row);
    } catch (error) {
      throw new Error(`A stored row in occurrences does not parse`, { cause: error });
    }
    count++;
  }
  return count;
}

/**
 * Members: one aggregate partition (`m|<id>` rows, audit entries, markers); rows from before it
 * (keyed by the id alone) in the member shape.
 */
async function checkMemberRows(store: TableStore): Promise<number> {
  const marker = z.object({ at: z.iso.datetime(), result: z.string() });
  let count = 0;
  for await (const row of store.client('members').listEntities<Row>()) {
    const key = String(row.rowKey);
    const prefix = key.includes('|') ? key.slice(0, key.indexOf('|')) : '';
    const plain: Row = { ...row };
    for (const field of ['roles', 'details']) {
      if (typeof plain[field] === 'string') plain[field] = JSON.parse(plain[field] as string);
    }
    try {
      if (prefix === 'audit') auditEntrySchema.parse(plain);
      else if (prefix === 'req') marker.parse(plain);
      else memberSchema.parse(plain);
    } catch (error) {
      throw new Error('A stored row in members does not parse', { cause: error });
    }
    count++;
  }
  return count;
}

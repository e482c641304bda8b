import { odata, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { isAppError } from '../errors.js';
import { toAppError } from './table-errors.js';
import type {
  ReminderChange,
  ReminderRepository,
} from '../reminders/reminders.repository.js';
import { reminderSchema, type Reminder, type ReminderRef } from '../reminders/reminders.schema.js';
import type { Versioned } from '../versioned.js';
import { EntityTable } from './entity-table.js';
import { encodeKey } from './keys.js';
import type { TableStore } from './table-store.js';

const watermarkSchema = z.object({ sweptUntil: z.iso.datetime() });
const SCHEDULER = 'scheduler';
const WATERMARK = 'watermark';

/** Partition per UTC hour of the due time: `d2026032909`. */
function partitionOf(dueAt: string): string {
  return `d${dueAt.slice(0, 4)}${dueAt.slice(5, 7)}${dueAt.slice(8, 10)}${dueAt.slice(11, 13)}`;
}
const rowOf = (ref: ReminderRef) => `${ref.dueAt}|${encodeKey(ref.id)}`;

/** Where a reminder row lives, for tools that load many rows at once (the benchmark). */
export const reminderKeys = (ref: ReminderRef) => ({
  partitionKey: partitionOf(ref.dueAt),
  rowKey: rowOf(ref),
});

/**
 * Reminders keyed by due time, so "what is due now" is a narrow range query over a few hourly
 * partitions; the scheduler's watermark lives in a partition outside that range.
 */
export function reminderTable(store: TableStore): ReminderRepository {
  const client = store.client('reminders');
  const table = new EntityTable(client, reminderSchema);
  const marks = new EntityTable(store.client('reminders'), watermarkSchema);

  /** One entity-group transaction; undefined when a row's version no longer matches. */
  const transact = async (
    group: readonly ReminderChange[],
  ): Promise<Versioned<Reminder>[] | undefined> => {
    const actions: TransactionAction[] = group.map(({ reminder, version }) => [
      'update',
      { ...reminderKeys(reminder), ...entityOf(reminderSchema.parse(reminder)) },
      'Replace',
      { etag: requireVersion(version) },
    ]);
    try {
      const response = await client.submitTransaction(actions);
      // Sub-responses come in the order of the operations; an update's carries no row key.
      return group.map(({ reminder }, index) => ({
        value: reminder,
        version: response.subResponses[index]?.etag ?? '',
      }));
    } catch (error) {
      const mapped = toAppError(error);
      if (isAppError(mapped, 'conflict') || isAppError(mapped, 'not-found')) return undefined;
      throw mapped;
    }
  };

  const window = (from: Date, to: Date) => {
    const start = from.toISOString();
    const end = to.toISOString();
    return odata`PartitionKey ge ${partitionOf(start)} and PartitionKey le ${partitionOf(end)} and RowKey ge ${start} and RowKey le ${`${end}|~`}`;
  };

  return {
    create: (reminder) => table.create(partitionOf(reminder.dueAt), rowOf(reminder), reminder),
    get: (ref) => table.get(partitionOf(ref.dueAt), rowOf(ref)),
    replace: (reminder, version) =>
      table.replace(partitionOf(reminder.dueAt), rowOf(reminder), reminder, version),
    batchKey: (ref) => partitionOf(ref.dueAt),
    async replaceMany(changes) {
      const results: (Versioned<Reminder> | undefined)[] = changes.map(() => undefined);
      const groups = new Map<string, number[]>();
      changes.forEach((change, index) => {
        const key = partitionOf(change.reminder.dueAt);
        const group = groups.get(key) ?? [];
        group.push(index);
        groups.set(key, group);
      });
      const batches = [...groups.values()].flatMap((indexes) => chunks(indexes, MAX_BATCH));
      await Promise.all(
        batches.map(async (indexes) => {
          const written = await transact(indexes.map((index) => changes[index]!));
          indexes.forEach((index, n) => (results[index] = written?.[n]));
        }),
      );
      return results;
    },
    async due(from, to, states) {
      const stateFilter = states.map((state) => odata`state eq ${state}`).join(' or ');
      const rows = [];
      for await (const row of table.all(`${window(from, to)} and (${stateFilter})`)) rows.push(row);
      return rows;
    },
    async forConversation(conversationId, from, to) {
      const rows: Reminder[] = [];
      for await (const row of table.all(
        `${window(from, to)} and ${odata`conversationId eq ${conversationId}`}`,
      )) {
        rows.push(row.value);
      }
      return rows;
    },
    async watermark() {
      const row = await marks.get(SCHEDULER, WATERMARK);
      return row ? { value: new Date(row.value.sweptUntil), version: row.version } : undefined;
    },
    async setWatermark(at, version) {
      const value = { sweptUntil: at.toISOString() };
      try {
        if (version) await marks.replace(SCHEDULER, WATERMARK, value, version);
        else await marks.create(SCHEDULER, WATERMARK, value);
        return true;
      } catch (error) {
        if (isAppError(error, 'conflict') || isAppError(error, 'already-exists')) return false;
        throw error;
      }
    },
  };
}

/** An entity-group transaction holds at most 100 operations. */
const MAX_BATCH = 100;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    result.push(items.slice(start, start + size));
  }
  return result;
}

/** The stored properties of a reminder: absent fields are left out, not written as null. */
function entityOf(reminder: Reminder): Record<string, unknown> {
  return Object.fromEntries(Object.entries(reminder).filter(([, value]) => value !== undefined));
}

function requireVersion(version: string): string {
  if (!version || version === '*')
    throw new Error('A conditional write needs the version that was read');
  return version;
}

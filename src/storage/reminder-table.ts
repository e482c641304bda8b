import { odata } from '@azure/data-tables';
import { z } from 'zod';
import { isAppError } from '../errors.js';
import type { ReminderRepository } from '../reminders/reminders.repository.js';
import { reminderSchema, type Reminder, type ReminderRef } from '../reminders/reminders.schema.js';
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
  const table = new EntityTable(store.client('reminders'), reminderSchema);
  const marks = new EntityTable(store.client('reminders'), watermarkSchema);

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

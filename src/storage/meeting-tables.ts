import { odata } from '@azure/data-tables';
import type {
  ActionItemRepository,
  DecisionRepository,
  MeetingRepository,
  OccurrenceRepository,
} from '../meetings/meetings.repository.js';
import {
  actionItemSchema,
  decisionSchema,
  meetingSeriesSchema,
  occurrenceSchema,
} from '../meetings/meetings.schema.js';
import { EntityTable } from './entity-table.js';
import { encodeKey } from './keys.js';
import type { TableStore } from './table-store.js';

/** Series: one partition per channel, so `/möten` is a single-partition read. */
export function meetingTable(store: TableStore): MeetingRepository {
  const table = new EntityTable(store.client('meetings'), meetingSeriesSchema, [
    'schedule',
    'organisations',
    'offsets',
  ]);
  return {
    get: (conversationId, meetingId) => table.get(encodeKey(conversationId), meetingId),
    async list(conversationId) {
      const rows: ReturnType<typeof meetingSeriesSchema.parse>[] = [];
      for await (const row of table.all(odata`PartitionKey eq ${encodeKey(conversationId)}`)) {
        rows.push(row.value);
      }
      return rows;
    },
    create: (series) => table.create(encodeKey(series.conversationId), series.id, series),
    replace: (series, version) =>
      table.replace(encodeKey(series.conversationId), series.id, series, version),
  };
}

/** Occurrences: one partition per series, one row per planned date (the agenda inside). */
export function occurrenceTable(store: TableStore): OccurrenceRepository {
  const table = new EntityTable(store.client('occurrences'), occurrenceSchema, [
    'items',
    'attendance',
  ]);
  return {
    get: (meetingId, date) => table.get(meetingId, date),
    create: (occurrence) => table.create(occurrence.meetingId, occurrence.date, occurrence),
    replace: (occurrence, version) =>
      table.replace(occurrence.meetingId, occurrence.date, occurrence, version),
  };
}

/**
 * Decisions: one partition per occurrence, one row per decision id (the card's request), so a
 * repeated click cannot append twice. Read back in time order.
 */
export function decisionTable(store: TableStore): DecisionRepository {
  const table = new EntityTable(store.client('decisions'), decisionSchema);
  const partition = (meetingId: string, date: string) => `${meetingId}|${date}`;
  return {
    async append(decision) {
      await table.create(partition(decision.meetingId, decision.date), decision.id, decision);
    },
    async list(meetingId, date) {
      const rows = [];
      for await (const row of table.all(odata`PartitionKey eq ${partition(meetingId, date)}`)) {
        rows.push(row.value);
      }
      return rows.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
    },
  };
}

/** Action items: one partition per channel; open ones found by a filter on `done`. */
export function actionItemTable(store: TableStore): ActionItemRepository {
  const table = new EntityTable(store.client('actionItems'), actionItemSchema);
  return {
    async create(item) {
      await table.create(encodeKey(item.conversationId), item.id, item);
    },
    get: (conversationId, id) => table.get(encodeKey(conversationId), id),
    async replace(item, version) {
      await table.replace(encodeKey(item.conversationId), item.id, item, version);
    },
    async listOpen(conversationId) {
      const rows = [];
      const filter = odata`PartitionKey eq ${encodeKey(conversationId)} and done eq ${false}`;
      for await (const row of table.all(filter)) rows.push(row.value);
      return rows;
    },
    async listOpenForOwner(ownerId) {
      const rows = [];
      for await (const row of table.all(odata`ownerId eq ${ownerId} and done eq ${false}`)) {
        rows.push(row.value);
      }
      return rows;
    },
  };
}

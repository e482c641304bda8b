import { createHash } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { z } from 'zod';
import type { ElementRow } from '../meetings/meetings.repository.js';
import {
  elementIdSchema,
  itemCategorySchema,
  meetingTypeSchema,
  offsetsSchema,
  type MeetingSeries,
  type OccurrenceException,
  type OccurrenceHeader,
} from '../meetings/meetings.schema.js';
import { localDateSchema, scheduleSchema } from '../schedule/schedule.schema.js';
import { EntityTable } from './entity-table.js';
import { encodeKey } from './keys.js';
import type { TableStore } from './table-store.js';

/*
 * Rows as the bot wrote them before series became aggregates: the series in `Meetings`
 * (partition: channel), one row per occurrence in `Occurrences` with every agenda item as JSON
 * (partition: series, row: date), `Decisions` (partition: `series|date`) and `ActionItems`
 * (partition: channel). They are read once and upcast into the series aggregate.
 */

const legacyItemSchema = z.object({
  id: z.string().min(1).max(80),
  title: z.string().min(1).max(150),
  description: z.string().max(1000),
  category: itemCategorySchema,
  presenter: z.string().max(120),
  minutes: z.number().int().min(1).max(240),
  organisationId: z.string().max(60).optional(),
  authorId: z.string().min(1).max(200),
  authorName: z.string().max(120),
  createdAt: z.iso.datetime(),
  late: z.boolean(),
  status: z.enum(['active', 'pendingApproval', 'deferred', 'withdrawn']),
  order: z.number().int(),
  handled: z.boolean(),
  notes: z.string().max(2000).optional(),
  carriedOverFrom: localDateSchema.optional(),
});

export const legacySeriesSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,60}$/),
  conversationId: z.string().min(1).max(1000),
  type: meetingTypeSchema,
  name: z.string().min(1).max(120),
  schedule: scheduleSchema,
  place: z.string().max(500),
  organisations: z.array(z.string().max(60)).max(40),
  offsets: offsetsSchema,
  createdBy: z.string().min(1).max(200),
  createdAt: z.iso.datetime(),
});
export type LegacySeries = z.infer<typeof legacySeriesSchema>;

export const legacyOccurrenceSchema = z.object({
  meetingId: z.string(),
  date: localDateSchema,
  startsAt: z.iso.datetime(),
  durationMinutes: z.number().int().min(10).max(600),
  state: z.enum(['planned', 'cancelled', 'closed']),
  items: z.array(legacyItemSchema).max(40),
  attendance: z.array(z.string().max(60)).max(40).optional(),
  closedAt: z.iso.datetime().optional(),
  closedBy: z.string().min(1).max(200).optional(),
  closedByName: z.string().max(120).optional(),
  updatedAt: z.iso.datetime(),
});
export type LegacyOccurrence = z.infer<typeof legacyOccurrenceSchema>;

export const legacyDecisionSchema = z.object({
  id: z.string().min(1).max(80),
  meetingId: z.string(),
  date: localDateSchema,
  itemId: z.string().max(80),
  itemTitle: z.string().max(150),
  text: z.string().min(1).max(1000),
  corrects: z.string().max(80).optional(),
  decidedBy: z.string().min(1).max(200),
  decidedByName: z.string().max(120),
  at: z.iso.datetime(),
});
export type LegacyDecision = z.infer<typeof legacyDecisionSchema>;

export const legacyActionItemSchema = z.object({
  id: z.string().min(1).max(80),
  conversationId: z.string().min(1).max(1000),
  meetingId: z.string(),
  date: localDateSchema,
  itemTitle: z.string().max(150),
  what: z.string().min(1).max(300),
  ownerId: z.string().min(1).max(200),
  ownerName: z.string().max(120),
  dueDate: localDateSchema,
  done: z.boolean(),
  createdBy: z.string().min(1).max(200),
  createdAt: z.iso.datetime(),
});
export type LegacyActionItem = z.infer<typeof legacyActionItemSchema>;

/** Everything stored about one series in the old shape. */
export interface LegacySeriesRows {
  readonly series: LegacySeries;
  readonly occurrences: readonly LegacyOccurrence[];
  readonly decisions: readonly LegacyDecision[];
  readonly actions: readonly LegacyActionItem[];
}

/** Reads the old tables; only the migration and the owner's task list use it. */
export function legacyMeetingTables(store: TableStore) {
  const occurrences = new EntityTable(store.client('occurrences'), legacyOccurrenceSchema, [
    'items',
    'attendance',
  ]);
  const decisions = new EntityTable(store.client('decisions'), legacyDecisionSchema);
  const actions = new EntityTable(store.client('actionItems'), legacyActionItemSchema);

  return {
    async read(conversationId: string, meetingId: string): Promise<LegacySeriesRows | undefined> {
      const row = await readLegacySeries(store, conversationId, meetingId);
      if (!row) return undefined;
      const found: LegacyOccurrence[] = [];
      // Old occurrence rows are keyed by their date alone; new rows all carry a `kind|` prefix.
      const filter = odata`PartitionKey eq ${meetingId} and RowKey ge ${'0'} and RowKey lt ${'9~'}`;
      for await (const occurrence of occurrences.all(filter)) found.push(occurrence.value);
      const decided = await Promise.all(
        found.map(async (occurrence) => {
          const list: LegacyDecision[] = [];
          const partition = `${meetingId}|${occurrence.date}`;
          for await (const d of decisions.all(odata`PartitionKey eq ${partition}`)) {
            list.push(d.value);
          }
          return list;
        }),
      );
      const actionList: LegacyActionItem[] = [];
      const actionFilter = odata`PartitionKey eq ${encodeKey(conversationId)} and meetingId eq ${meetingId}`;
      for await (const a of actions.all(actionFilter)) actionList.push(a.value);
      return { series: row, occurrences: found, decisions: decided.flat(), actions: actionList };
    },

    /** Open action items of a channel in the old table. */
    async openActionsIn(conversationId: string): Promise<LegacyActionItem[]> {
      const list: LegacyActionItem[] = [];
      const filter = odata`PartitionKey eq ${encodeKey(conversationId)} and done eq ${false}`;
      for await (const row of actions.all(filter)) list.push(row.value);
      return list;
    },

    /** Open action items of an owner in series not yet moved to the new shape. */
    async openActionsOf(ownerId: string): Promise<LegacyActionItem[]> {
      const list: LegacyActionItem[] = [];
      for await (const row of actions.all(odata`ownerId eq ${ownerId} and done eq ${false}`)) {
        list.push(row.value);
      }
      return list;
    },
  };
}

async function readLegacySeries(store: TableStore, conversationId: string, meetingId: string) {
  try {
    const row = await store.client('meetings').getEntity(encodeKey(conversationId), meetingId);
    if (!('schedule' in row)) return undefined;
    const plain: Record<string, unknown> = { ...row };
    for (const field of ['schedule', 'organisations', 'offsets']) {
      if (typeof plain[field] === 'string') plain[field] = JSON.parse(plain[field] as string);
    }
    return legacySeriesSchema.parse(plain);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/**
 * Old ids could hold characters new element ids do not (a carried-over copy was `<id>~`): those
 * become a stable hash, the same every time the row is read.
 */
export function upcastId(id: string): string {
  if (elementIdSchema.safeParse(id).success) return id;
  return `u${createHash('sha256').update(id).digest('base64url').slice(0, 20)}`;
}

/**
 * The series header in today's shape. Old series planned their steps on the calendar day as is,
 * and their reminders are already stored at those times, so they keep that rule.
 */
export function upcastSeries(old: LegacySeries): MeetingSeries {
  return {
    id: old.id,
    conversationId: old.conversationId,
    type: old.type,
    name: old.name,
    schedule: { ...old.schedule, exceptions: [] },
    place: old.place,
    organisations: old.organisations,
    offsets: old.offsets,
    stepDays: 'keep',
    createdBy: old.createdBy,
    createdAt: old.createdAt,
  };
}

/** The old series' exceptions, by the date they apply to. */
export function upcastExceptions(old: LegacySeries): Map<string, OccurrenceException> {
  const map = new Map<string, OccurrenceException>();
  for (const exception of old.schedule.exceptions) {
    map.set(
      exception.date,
      exception.action === 'cancel'
        ? { action: 'cancel' }
        : {
            action: 'move',
            toDate: exception.toDate,
            ...(exception.toTime ? { toTime: exception.toTime } : {}),
          },
    );
  }
  return map;
}

/** One old occurrence row: its header and one element row per agenda item. */
export function upcastOccurrence(
  old: LegacyOccurrence,
  exception: OccurrenceException | undefined,
): { header: OccurrenceHeader; items: ElementRow[] } {
  const header: OccurrenceHeader = {
    date: old.date,
    startsAt: old.startsAt,
    durationMinutes: old.durationMinutes,
    state: old.state,
    ...(exception ? { exception } : {}),
    ...(old.attendance ? { attendance: old.attendance } : {}),
    ...(old.closedAt ? { closedAt: old.closedAt } : {}),
    ...(old.closedBy ? { closedBy: old.closedBy } : {}),
    ...(old.closedByName !== undefined ? { closedByName: old.closedByName } : {}),
    nextOrder: Math.max(0, ...old.items.map((item) => item.order)) + 1,
    itemCount: old.items.length,
    revision: 0,
    updatedAt: old.updatedAt,
  };
  const items = old.items.map((item): ElementRow => ({
    row: 'item',
    ...item,
    id: upcastId(item.id),
    date: old.date,
  }));
  return { header, items };
}

export function upcastDecision(old: LegacyDecision): ElementRow {
  return {
    row: 'decision',
    id: upcastId(old.id),
    date: old.date,
    itemId: upcastId(old.itemId || 'okand'),
    itemTitle: old.itemTitle,
    text: old.text,
    ...(old.corrects ? { corrects: upcastId(old.corrects) } : {}),
    decidedBy: old.decidedBy,
    decidedByName: old.decidedByName,
    at: old.at,
  };
}

/** An old action item; its id keeps the part after `<series>.<date>.`, so its reminder id holds. */
export function upcastActionItem(old: LegacyActionItem): ElementRow {
  const prefix = `${old.meetingId}.${old.date}.`;
  const key = old.id.startsWith(prefix) ? old.id.slice(prefix.length) : old.id;
  return {
    row: 'action',
    id: upcastId(key),
    meetingId: old.meetingId,
    date: old.date,
    conversationId: old.conversationId,
    itemId: 'okand',
    itemTitle: old.itemTitle,
    what: old.what,
    ownerId: old.ownerId,
    ownerName: old.ownerName,
    dueDate: old.dueDate,
    done: old.done,
    createdBy: old.createdBy,
    createdAt: old.createdAt,
  };
}

import { createHash } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { auditEntrySchema } from '../audit/audit.schema.js';
import type {
  ElementRow,
  MeetingChange,
  MeetingCommit,
  MeetingWrite,
  SeriesRef,
  SeriesRepository,
  SeriesRows,
  SeriesWindow,
  Stored,
} from '../meetings/meetings.repository.js';
import {
  actionItemSchema,
  agendaItemSchema,
  decisionSchema,
  meetingSeriesSchema,
  occurrenceHeaderSchema,
  type ActionItem,
  type MeetingSeries,
  type OccurrenceHeader,
} from '../meetings/meetings.schema.js';
import {
  AggregateTable,
  rowKey,
  type RowKind,
  type RowWrite,
  type StoredRow,
} from './aggregate-table.js';
import { EntityTable } from './entity-table.js';
import { decodeKey, encodeKey } from './keys.js';
import {
  legacyMeetingTables,
  legacyOccurrenceSchema,
  upcastActionItem,
  type LegacyActionItem,
} from './meeting-legacy.js';
import { migrate, migrationChanges } from './meeting-migration.js';
import { toAppError } from './table-errors.js';
import type { TableStore } from './table-store.js';

const SERIES_ID = 'series';
/** How long an instance keeps a channel's list of series (another instance may add one). */
const INDEX_TTL_MS = 30_000;

const headRowSchema = z.discriminatedUnion('row', [
  meetingSeriesSchema.extend({ row: z.literal('series') }),
  occurrenceHeaderSchema.extend({ row: z.literal('occurrence') }),
]);
type HeadRow = z.infer<typeof headRowSchema>;

const elementRowSchema = z.discriminatedUnion('row', [
  agendaItemSchema.extend({ row: z.literal('item') }),
  decisionSchema.extend({ row: z.literal('decision') }),
  actionItemSchema.extend({ row: z.literal('action') }),
]);

/**
 * The row kinds of a series partition in `Occurrences`:
 * - `head|series` the series, `head|<date>` one header per occurrence: a range from a date reads
 *   the series and every occurrence from that date in one query (`series` sorts after dates);
 * - `el|<date>|<i|d|a>|<id>` one row per agenda item, decision and action item, so one range
 *   reads everything of one meeting (or of two consecutive ones).
 */
export const meetingKinds = {
  head: {
    prefix: 'head',
    schema: headRowSchema,
    version: 1,
    json: ['schedule', 'organisations', 'offsets', 'exception', 'attendance'],
  } satisfies RowKind<HeadRow>,
  el: { prefix: 'el', schema: elementRowSchema, version: 1 } satisfies RowKind<ElementRow>,
};
type MeetingKinds = typeof meetingKinds;

const elementLetter = { item: 'i', decision: 'd', action: 'a' } as const;
export const elementId = (value: ElementRow) =>
  `${value.date}|${elementLetter[value.row]}|${value.id}`;

/** The channel index in `Meetings`: one row per series (old series rows serve as their own). */
const indexRowSchema = z.object({ createdAt: z.iso.datetime() }).loose();

export function meetingStore(
  store: TableStore,
  options: { now?: () => Date; verifyDelayMs?: number } = {},
): SeriesRepository {
  const client = store.client('occurrences');
  const table = new AggregateTable(client, meetingKinds, options);
  const index = new EntityTable(store.client('meetings'), indexRowSchema);
  const legacy = legacyMeetingTables(store);
  const now = options.now ?? (() => new Date());

  const commit = async (meetingId: string, change: MeetingChange): Promise<MeetingCommit> => {
    const writes = change.writes.map(toRowWrite);
    const outcome = await table.commit(meetingId, {
      writes,
      audit: change.audit,
      marker: change.marker,
    });
    if (outcome.kind === 'repeated') return outcome;
    return {
      kind: 'committed',
      etags: writes.map((write) =>
        outcome.etags.get(rowKey(meetingKinds[write.kind].prefix, write.id)),
      ),
    };
  };

  const load = async (
    ref: SeriesRef,
    window: SeriesWindow,
    migrated = false,
  ): Promise<SeriesRows | undefined> => {
    const span = window.elements;
    const [headRows, elements] = await Promise.all([
      table.range(ref.meetingId, 'head', { from: window.headsFrom }),
      span ? elementRows(table, ref.meetingId, span.from, span.to) : [],
    ]);
    const series = headRows.find((row) => row.id === SERIES_ID);
    if (!series) {
      const old = migrated ? undefined : await legacy.read(ref.conversationId, ref.meetingId);
      if (!old) return undefined;
      await migrate((change) => commit(ref.meetingId, change), migrationChanges(old, now()));
      return load(ref, window, true);
    }
    const value = strip(series.value) as MeetingSeries;
    if (value.conversationId !== ref.conversationId) return undefined;
    const headers = new Map<string, Stored<OccurrenceHeader>>();
    for (const row of headRows) {
      if (row.value.row === 'occurrence') {
        headers.set(row.id, { value: strip(row.value) as OccurrenceHeader, etag: row.etag });
      }
    }
    return { series: { value, etag: series.etag }, headers, elements, window };
  };

  // A channel's series change only when one is created: the list is kept briefly per instance
  // (and at once when this instance creates one), so reading a channel's meetings costs one
  // query per series, not one more for the list.
  const known = new Map<string, { at: number; ids: string[] }>();
  const seriesIn = async (conversationId: string) => {
    const cached = known.get(conversationId);
    if (cached && Date.now() - cached.at < INDEX_TTL_MS) return cached.ids;
    const rows: { id: string; createdAt: string }[] = [];
    for await (const row of index.allWithKeys(
      odata`PartitionKey eq ${encodeKey(conversationId)}`,
    )) {
      rows.push({ id: row.rowKey, createdAt: row.value.createdAt });
    }
    const ids = rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((row) => row.id);
    known.set(conversationId, { at: Date.now(), ids });
    return ids;
  };

  const actionsOf = async (meetingId: string, openOnly: boolean) => {
    const actions = odata`PartitionKey eq ${meetingId} and RowKey ge ${'el|'} and RowKey lt ${'el}'} and row eq ${'action'}`;
    const filter = openOnly ? `${actions} and ${odata`done eq ${false}`}` : actions;
    return (await query(client, filter)).map(parseAction);
  };

  return {
    load: (ref, window) => load(ref, window),
    async markerLanded(meetingId, key) {
      // The marker's row key as `AggregateTable.commit` writes it.
      const id = createHash('sha256').update(key).digest('hex').slice(0, 40);
      try {
        await client.getEntity(encodeKey(meetingId), rowKey('req', id));
        return true;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return false;
        throw toAppError(error);
      }
    },

    elements: (meetingId, from, to) => elementRows(table, meetingId, from, to),
    commit,

    async register(conversationId, meetingId, createdAt) {
      try {
        await index.create(encodeKey(conversationId), meetingId, { createdAt });
      } catch (error) {
        if ((error as { reason?: string }).reason !== 'already-exists') throw error;
      }
      known.delete(conversationId);
    },

    seriesIn,

    async *everySeries() {
      for await (const row of index.allWithKeys()) {
        yield { conversationId: decodeKey(row.partitionKey), meetingId: row.rowKey };
      }
    },

    openActions: (meetingId) => actionsOf(meetingId, true),

    async openActionsIn(conversationId) {
      const ids = await seriesIn(conversationId);
      const [lists, old] = await Promise.all([
        Promise.all(ids.map((id) => actionsOf(id, false))),
        legacy.openActionsIn(conversationId),
      ]);
      return withLegacy(lists.flat(), old).filter((action) => !action.done);
    },

    async actionsOwnedBy(ownerId) {
      const filter = odata`RowKey ge ${'el|'} and RowKey lt ${'el}'} and row eq ${'action'} and ownerId eq ${ownerId}`;
      const [current, old] = await Promise.all([
        query(client, filter),
        legacy.openActionsOf(ownerId),
      ]);
      return withLegacy(current.map(parseAction), old).filter((action) => !action.done);
    },

    audit: (meetingId) => table.audit(meetingId),
  };
}

async function elementRows(
  table: AggregateTable<MeetingKinds>,
  meetingId: string,
  from: string,
  to: string,
): Promise<Stored<ElementRow>[]> {
  const rows = await table.range(meetingId, 'el', { from: `${from}|`, to: `${to}|~` });
  return rows.map((row: StoredRow<ElementRow>) => ({ value: row.value, etag: row.etag }));
}

function toRowWrite(write: MeetingWrite): RowWrite<MeetingKinds> {
  const id =
    write.row === 'series'
      ? SERIES_ID
      : write.row === 'occurrence'
        ? write.value.date
        : elementId(write.value);
  const kind = write.row === 'element' ? 'el' : 'head';
  const value =
    write.row === 'series'
      ? { ...write.value, row: 'series' as const }
      : write.row === 'occurrence'
        ? { ...write.value, row: 'occurrence' as const }
        : write.value;
  return (
    write.op === 'create'
      ? { op: 'create', kind, id, value }
      : { op: 'replace', kind, id, value, etag: write.etag }
  ) as RowWrite<MeetingKinds>;
}

/** The value without the row discriminator, as the domain types have it. */
function strip<T extends { row: string }>(value: T): Omit<T, 'row'> {
  const { row: _row, ...rest } = value;
  return rest;
}

/**
 * A filtered query over element rows; the rows are read the way `AggregateTable` reads them
 * (system properties dropped, then the schema), for the lists that span partitions.
 */
async function query(client: TableClient, filter: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  try {
    for await (const page of client
      .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
      .byPage({ maxPageSize: 1000 })) {
      rows.push(...page);
    }
  } catch (error) {
    throw toAppError(error);
  }
  return rows;
}

/**
 * Action items in today's shape, plus open ones still only in the old table (a series not read
 * since the change); an old row whose series has moved is left out, the aggregate is the truth.
 */
function withLegacy(current: ActionItem[], old: readonly LegacyActionItem[]): ActionItem[] {
  const known = new Set(current.map((a) => `${a.meetingId}|${a.date}|${a.id}`));
  const moved = new Set(current.map((a) => a.meetingId));
  const list = [...current];
  for (const item of old) {
    const upcast = strip(upcastActionItem(item) as ActionItem & { row: 'action' }) as ActionItem;
    const key = `${upcast.meetingId}|${upcast.date}|${upcast.id}`;
    if (!known.has(key) && !moved.has(upcast.meetingId)) list.push(upcast);
  }
  return list;
}

/** Unknown properties (keys, etag, version) are dropped by the schema. */
const parseAction = (row: Record<string, unknown>): ActionItem => actionItemSchema.parse(row);

const markerRowSchema = z.object({ at: z.iso.datetime(), result: z.string() });

/**
 * Checks one raw row of the series table as the aggregate reads it, by its row-key prefix (a row
 * in the old shape, keyed by its date alone, against the old schema). For tests and tooling.
 */
export function checkMeetingRow(row: Record<string, unknown>): void {
  const key = String(row.rowKey);
  const prefix = key.includes('|') ? key.slice(0, key.indexOf('|')) : '';
  const plain: Record<string, unknown> = { ...row };
  const parseJson = (fields: readonly string[]) => {
    for (const field of fields) {
      if (typeof plain[field] === 'string') plain[field] = JSON.parse(plain[field] as string);
    }
  };
  if (prefix === 'head') {
    parseJson(meetingKinds.head.json);
    headRowSchema.parse(plain);
  } else if (prefix === 'el') {
    elementRowSchema.parse(plain);
  } else if (prefix === 'audit') {
    parseJson(['details']);
    auditEntrySchema.parse(plain);
  } else if (prefix === 'req') {
    markerRowSchema.parse(plain);
  } else {
    parseJson(['items', 'attendance']);
    legacyOccurrenceSchema.parse(plain);
  }
}

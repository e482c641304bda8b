import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import {
  ageGroupSchema,
  genderSchema,
  PARTICIPANT_CODE_PATTERN,
  stepSchema,
} from '../participants/participants.schema.js';
import type { ReportParticipant } from '../reports/lagesrapport.js';
import { localDateSchema } from '../schedule/schedule.schema.js';
import { rowKey } from './aggregate-table.js';
import { encodeKey } from './keys.js';
import { participantKinds } from './participant-rows.js';
import { toAppError } from './table-errors.js';

/**
 * Row-key prefix of a removal mark (`gone|<kod>`): written in the transaction that deletes a
 * participant's header, so every instance's copy of the report rows drops the participant.
 */
export const REMOVAL_PREFIX = 'gone';
/**
 * Each read asks for rows stamped since the server's time at the previous read, less this: a
 * write stamped just before that read may have become visible just after it (and the server's
 * `Date` has whole seconds).
 */
export const REPORT_OVERLAP_MS = 30_000;
/** An instance reads a länsdel's report rows in full again when its copy is this old. */
export const REPORT_REFRESH_MS = 24 * 60 * 60_000;
/**
 * How long a removal mark is kept: longer than any copy lives without a full read, so every
 * copy that still holds the participant sees the mark first.
 */
export const REMOVAL_KEEP_MS = REPORT_REFRESH_MS + REPORT_OVERLAP_MS;

const HEADER = participantKinds.header.prefix;
const OUTCOME = participantKinds.outcome.prefix;
/** The aggregate table's own prefixes (audit entries, request markers). */
const AGGREGATE_RESERVED = ['audit', 'req'];

/** True when `prefix` is taken by a participant row kind or by the aggregate table itself. */
export const clashesWithRowKinds = (prefix: string) =>
  AGGREGATE_RESERVED.includes(prefix) ||
  Object.values(participantKinds).some((kind) => kind.prefix === prefix);

if (clashesWithRowKinds(REMOVAL_PREFIX)) {
  throw new Error(`The removal prefix ${REMOVAL_PREFIX} is taken by another row kind`);
}

/** Only what the report counts, with what keeps rows apart and in order. */
const SELECT = [
  'PartitionKey',
  'RowKey',
  'Timestamp',
  'code',
  'gender',
  'consent',
  'ageGroup',
  'kommun',
  'enrolledOn',
  'step',
  'on',
  'seq',
  'at',
];
const code = z.string().regex(PARTICIPANT_CODE_PATTERN);
const headerFactsSchema = z.object({
  code,
  gender: genderSchema,
  consent: z.boolean(),
  ageGroup: ageGroupSchema.optional(),
  kommun: z.string().min(2).max(60).optional(),
  enrolledOn: localDateSchema,
});
const outcomeFactsSchema = z.object({
  code,
  step: stepSchema,
  on: localDateSchema,
  seq: z.number().int().min(0),
});
const removalSchema = z.object({ code, at: z.iso.datetime() });
/** Server time of a row, `2026-12-03T15:54:14.0838785Z`; up to 7 fraction digits. */
const stampSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/);

type HeaderFacts = z.infer<typeof headerFactsSchema>;
type OutcomeFacts = z.infer<typeof outcomeFactsSchema>;

/** Fixed width (7 fraction digits), so stamps compare as strings. */
const normalStamp = (value: unknown) => {
  const stamp = stampSchema.parse(value);
  const [whole, fraction = ''] = stamp.slice(0, -1).split('.');
  return `${whole}.${fraction.padEnd(7, '0')}Z`;
};

interface Entry {
  header?: { readonly facts: HeaderFacts; readonly stamp: string };
  readonly outcomes: Map<string, { readonly facts: OutcomeFacts; readonly stamp: string }>;
  view?: ReportParticipant | undefined;
}

/** One instance's copy of the report rows of every länsdel. */
interface Copy {
  readonly fullAt: number;
  /** Per partition (a länsdel's key), per code. */
  readonly partitions: Map<string, Map<string, Entry>>;
  /** Removal marks seen, by code: rows of that code stamped no later are gone. */
  readonly removed: Map<string, string>;
  newest?: string;
  /** The storage server's time when the last read answered (its `Date`, whole seconds). */
  readAt?: number;
  /** Each partition's report list, made again after a read changed it. */
  readonly lists: Map<string, ReportParticipant[]>;
}

/** What a query answers once every page was handed on: the storage server's time at the first. */
export interface QueryResult {
  readonly serverTime?: number;
}

/**
 * Reads rows by an OData filter with the given properties, handing each page to `onRows` as it
 * arrives (so a full read never holds more than one page of entities); the real one pages
 * through storage.
 */
export type RowQuery = (
  filter: string,
  select: readonly string[],
  onRows: (rows: readonly Record<string, unknown>[]) => void,
) => Promise<QueryResult>;

export const tableQuery =
  (client: TableClient): RowQuery =>
  async (filter, select, onRows) => {
    let serverTime: number | undefined;
    try {
      const pages = client
        .listEntities<Record<string, unknown>>({
          queryOptions: { filter, select: [...select] },
          onResponse: (response) => {
            const date = Date.parse(response.headers.get('date') ?? '');
            if (serverTime === undefined && Number.isFinite(date)) serverTime = date;
          },
        })
        .byPage();
      for await (const page of pages) onRows(page);
    } catch (error) {
      throw toAppError(error);
    }
    return serverTime === undefined ? {} : { serverTime };
  };

const viewOf = (header: HeaderFacts, outcomes: Entry['outcomes']): ReportParticipant => ({
  gender: header.gender,
  consent: header.consent,
  ageGroup: header.ageGroup,
  kommun: header.kommun,
  enrolledOn: header.enrolledOn,
  outcomes: [...outcomes.values()]
    .map(({ facts }) => facts)
    .sort((a, b) => a.on.localeCompare(b.on) || a.seq - b.seq)
    .map(({ step, on }) => ({ step, on })),
});

function merge(copy: Copy, rows: readonly Record<string, unknown>[]) {
  const touched = new Map<string, Set<string>>();
  const entryOf = (partition: string, code: string) => {
    let entries = copy.partitions.get(partition);
    if (!entries) {
      entries = new Map();
      copy.partitions.set(partition, entries);
    }
    let entry = entries.get(code);
    if (!entry) {
      entry = { outcomes: new Map() };
      entries.set(code, entry);
    }
    let codes = touched.get(partition);
    if (!codes) {
      codes = new Set();
      touched.set(partition, codes);
    }
    codes.add(code);
    return entry;
  };
  const later: { partition: string; key: string; stamp: string; row: Record<string, unknown> }[] =
    [];
  for (const row of rows) {
    const stamp = normalStamp(row.timestamp);
    if (!copy.newest || stamp > copy.newest) copy.newest = stamp;
    const partition = String(row.partitionKey);
    const key = String(row.rowKey);
    if (key.startsWith(`${REMOVAL_PREFIX}|`)) {
      const { code } = removalSchema.parse({ code: row.code, at: row.at });
      const known = copy.removed.get(code);
      if (!known || stamp > known) {
        copy.removed.set(code, stamp);
        entryOf(partition, code);
      }
    } else {
      later.push({ partition, key, stamp, row });
    }
  }
  for (const { partition, key, stamp, row } of later) {
    const code = String(row.code);
    const removedAt = copy.removed.get(code);
    if (removedAt && stamp <= removedAt) continue;
    // Rows read again inside the overlap are the same rows: nothing to parse or redo.
    const known = copy.partitions.get(partition)?.get(code);
    if (key.startsWith(`${HEADER}|`)) {
      if (known?.header?.stamp === stamp) continue;
      const facts = headerFactsSchema.parse({
        code: row.code,
        gender: row.gender,
        consent: row.consent,
        ageGroup: row.ageGroup ?? undefined,
        kommun: row.kommun ?? undefined,
        enrolledOn: row.enrolledOn,
      });
      entryOf(partition, facts.code).header = { facts, stamp };
    } else if (key.startsWith(`${OUTCOME}|`)) {
      if (known?.outcomes.get(key)?.stamp === stamp) continue;
      const facts = outcomeFactsSchema.parse({
        code: row.code,
        step: row.step,
        on: row.on,
        seq: row.seq,
      });
      entryOf(partition, facts.code).outcomes.set(key, { facts, stamp });
    }
  }
  for (const [partition, codes] of touched) {
    const entries = copy.partitions.get(partition)!;
    for (const code of codes) {
      const entry = entries.get(code)!;
      const removedAt = copy.removed.get(code);
      if (removedAt) {
        if (entry.header && entry.header.stamp <= removedAt) delete entry.header;
        for (const [key, outcome] of entry.outcomes) {
          if (outcome.stamp <= removedAt) entry.outcomes.delete(key);
        }
      }
      if (!entry.header && entry.outcomes.size === 0) entries.delete(code);
      entry.view = undefined;
    }
    copy.lists.delete(partition);
  }
}

function listOf(copy: Copy, partition: string): ReportParticipant[] {
  let list = copy.lists.get(partition);
  if (!list) {
    list = [];
    for (const entry of copy.partitions.get(partition)?.values() ?? []) {
      if (!entry.header) continue;
      entry.view ??= viewOf(entry.header.facts, entry.outcomes);
      list.push(entry.view);
    }
    copy.lists.set(partition, list);
  }
  return [...list];
}

/**
 * The lägesrapport's rows, kept per instance as small objects (the report facts of each
 * participant and its outcome rows, never whole entities, by länsdel) and brought up to date
 * before each report by one query over the table for the rows whose server time (`Timestamp`) is
 * at or after the server's time at the previous read (its `Date` header; without one, the newest
 * row seen), less {@link REPORT_OVERLAP_MS}: one query however many länsdelar the report
 * counts. Headers merge by code, outcome rows by row key, so reading a row twice changes
 * nothing. Rows are only ever deleted by a participant's removal, whose mark
 * ({@link REMOVAL_PREFIX}) takes the participant out of every copy; a copy older than
 * {@link REPORT_REFRESH_MS} is read in full again, so a mark never needs to live longer than
 * {@link REMOVAL_KEEP_MS}. `ready` (the migration of older rows) runs before every read.
 * @remarks Reads on one instance are served in order, and every report asking while one is under
 * way shares the next: a report sees every change made before it was asked for.
 */
export function participantReportRows(deps: {
  readonly client: TableClient;
  readonly ready: () => Promise<unknown>;
  readonly now: () => Date;
  readonly query?: RowQuery;
  readonly overlapMs?: number;
  readonly refreshMs?: number;
}) {
  const query = deps.query ?? tableQuery(deps.client);
  const overlapMs = deps.overlapMs ?? REPORT_OVERLAP_MS;
  const refreshMs = deps.refreshMs ?? REPORT_REFRESH_MS;
  let copy: Copy | undefined;
  const turn: { running?: Promise<unknown>; queued?: Promise<Copy> } = {};

  const kinds = [REMOVAL_PREFIX, HEADER, OUTCOME]
    .map((prefix) => odata`(RowKey ge ${`${prefix}|`} and RowKey lt ${`${prefix}}`})`)
    .join(' or ');

  const update = async (): Promise<Copy> => {
    await deps.ready();
    const at = deps.now().getTime();
    const full = !copy || at - copy.fullAt >= refreshMs;
    const next: Copy =
      full || !copy
        ? { fullAt: at, partitions: new Map(), removed: new Map(), lists: new Map() }
        : copy;
    let filter = kinds;
    const from = next.readAt ?? (next.newest ? Date.parse(next.newest) : undefined);
    if (from !== undefined) {
      filter = `(${kinds}) and ${odata`Timestamp ge ${new Date(from - overlapMs)}`}`;
    }
    // Rows merge page by page: merging is idempotent and order-free (a removal mark in a later
    // page clears what an earlier one brought), and a read cut off half way is read again.
    const read = await query(filter, SELECT, (rows) => merge(next, rows));
    if (read.serverTime !== undefined) next.readAt = read.serverTime;
    copy = next;
    return next;
  };

  return {
    /** One länsdel's participants as the report counts them, up to date. */
    async rows(lansdelId: string): Promise<ReportParticipant[]> {
      let mine = turn.queued;
      if (!mine) {
        const previous = turn.running ?? Promise.resolve();
        mine = previous
          .catch(() => undefined)
          .then(() => {
            turn.queued = undefined;
            return update();
          });
        turn.queued = mine;
        turn.running = mine;
      }
      return listOf(await mine, encodeKey(lansdelId));
    },

    /** The removal mark of `code`, for the transaction that deletes its header. */
    removalRow(lansdelId: string, participantCode: string) {
      return {
        partitionKey: encodeKey(lansdelId),
        rowKey: rowKey(REMOVAL_PREFIX, participantCode),
        code: participantCode,
        at: deps.now().toISOString(),
      };
    },
  };
}

export type ParticipantReportRows = ReturnType<typeof participantReportRows>;

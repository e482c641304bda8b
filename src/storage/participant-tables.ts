import { odata, type TableClient } from '@azure/data-tables';
import { isAppError } from '../errors.js';
import type {
  ChangeOutcome,
  FinishOutcome,
  ParticipantChange,
  ParticipantRepository,
  ParticipantRetentionStore,
  StoredParticipant,
} from '../participants/participants.repository.js';
import { participantEventSchema, type Participant } from '../participants/participants.schema.js';
import type { ReportSource } from '../reports/report.repository.js';
import { AggregateTable, rowKey } from './aggregate-table.js';
import { encodeKey } from './keys.js';
import { participantCodeSeries, type PendingEnrolment } from './participant-codes.js';
import { fenceLostChange } from './participant-fence.js';
import { participantHousekeeping } from './participant-housekeeping.js';
import { legacyParticipantMigration } from './participant-legacy.js';
import { participantReportRows, REMOVAL_KEEP_MS } from './participant-report-rows.js';
import { markerKeyOf, ownRange, pageWith, participantKinds, writesOf } from './participant-rows.js';
import { toAppError } from './table-errors.js';
import type { TableName, TableStore } from './table-store.js';

export { participantRowKeys } from './participant-rows.js';

/**
 * The previous release's history table. Deliberately not in `TABLE_NAMES`: it is never created,
 * only read and emptied by the migration where that release ran.
 */
const LEGACY_EVENTS = 'participantEvents' as TableName;
/** How long a länsdel counts as migrated before this instance looks for old rows again. */
const MIGRATION_RECHECK_MS = 10 * 60_000;

const SYSTEM = new Set([
  'partitionKey',
  'rowKey',
  'etag',
  'timestamp',
  'odata.metadata',
  '_v',
  '_k',
]);
const plain = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row).filter(([key]) => !SYSTEM.has(key) && !key.endsWith('@odata.type')),
  );

export type ParticipantStore = ParticipantRepository &
  ParticipantRetentionStore &
  ReportSource & {
    /** Migrates the previous release's rows of every länsdel now; answers how many. */
    migrateAll(): Promise<number>;
  };

/**
 * The participant register. Each länsdel is one partition of aggregates: per participant a
 * header row `h|<kod>`, one history row per step, follow-up or avvikelse `e|<kod>|…` (newest
 * first in key order, so a page is one short range read), the first page of that history kept
 * as one row `p|<kod>` (read beside the header: a step and the card it answers need no range
 * read), and the outcome rows the lägesrapport needs `o|<kod>|<datum>|…`; audit and
 * request-marker rows beside them. A change
 * to a participant is one transaction in that partition, conditional on the header's ETag. The
 * lägesrapport's rows are kept per instance and brought up to date by reading only what changed
 * (see {@link participantReportRows}); a removal leaves a mark `gone|<kod>` for that.
 * Codes come from the code series in `participantKeys` (see {@link participantCodeSeries}).
 * The previous release's rows are moved into this shape the first time a länsdel is read (and at
 * start-up), before anything of that länsdel is answered.
 */
export function participantTables(
  store: TableStore,
  lansdelIds: readonly string[],
  options: { readonly now?: () => Date } = {},
): ParticipantStore {
  const now = options.now ?? (() => new Date());
  const client: TableClient = store.client('participants');
  const aggregates = new AggregateTable(client, participantKinds);
  const codes = participantCodeSeries(store.client('participantKeys'), now);
  const housekeeping = participantHousekeeping(client);
  const legacy = legacyParticipantMigration({
    participants: client,
    events: store.client(LEGACY_EVENTS),
    aggregates,
    now,
  });

  const reportCopy = participantReportRows({
    client,
    ready: () => Promise.all(lansdelIds.map((id) => ready(id))),
    now,
  });

  const migrated = new Map<string, { at: number; done: Promise<number> }>();
  /** Resolves once the länsdel holds no rows of the previous release (checked every 10 min). */
  const ready = async (lansdelId: string) => {
    const known = migrated.get(lansdelId);
    if (known && Date.now() - known.at < MIGRATION_RECHECK_MS) return known.done;
    const done = legacy.migrateLansdel(lansdelId);
    migrated.set(lansdelId, { at: Date.now(), done });
    done.catch(() => migrated.delete(lansdelId));
    return done;
  };

  // A participant never changes länsdel, so code → länsdel is remembered once read (bounded).
  const knownLansdel = new Map<string, string>();
  const lansdelOf = async (code: string) => {
    const known = knownLansdel.get(code);
    if (known) return known;
    const lansdelId = await codes.lansdelOf(code);
    if (lansdelId) {
      if (knownLansdel.size >= 50_000) knownLansdel.clear();
      knownLansdel.set(code, lansdelId);
    }
    return lansdelId;
  };

  /** The header, and with `withPage` the kept first page when it belongs to that header. */
  const headerIn = async (
    lansdelId: string,
    code: string,
    withPage: boolean,
  ): Promise<StoredParticipant | undefined> => {
    await ready(lansdelId);
    const [row, page] = await Promise.all([
      aggregates.row(lansdelId, 'header', code),
      withPage ? aggregates.row(lansdelId, 'firstPage', code) : undefined,
    ]);
    if (!row) return undefined;
    const kept = page?.value.count === row.value.eventCount ? page.value : undefined;
    const firstPage = kept && { events: kept.events, ...(kept.next ? { next: kept.next } : {}) };
    return { value: row.value, version: row.etag, ...(firstPage ? { firstPage } : {}) };
  };

  const get = async (code: string, lansdelHint?: string, options?: { firstPage?: boolean }) => {
    const withPage = options?.firstPage === true;
    const known = knownLansdel.get(code);
    const hinted = lansdelHint && lansdelIds.includes(lansdelHint) ? lansdelHint : undefined;
    const first = known ?? hinted;
    if (first) {
      const found = await headerIn(first, code, withPage);
      if (found || known) return found;
    }
    const lansdelId = await lansdelOf(code);
    if (!lansdelId || lansdelId === first) return undefined;
    return headerIn(lansdelId, code, withPage);
  };

  /** The first `limit` rows of a key range, in one request of that size. */
  const firstRows = async (lansdelId: string, from: string, to: string, limit: number) => {
    const filter = odata`PartitionKey eq ${encodeKey(lansdelId)} and RowKey ge ${from} and RowKey lt ${to}`;
    try {
      const page = await client
        .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
        .byPage({ maxPageSize: limit })
        .next();
      return page.done ? [] : [...page.value];
    } catch (error) {
      throw toAppError(error);
    }
  };

  const headers = async (lansdelId: string, filter?: (p: Participant) => boolean) => {
    await ready(lansdelId);
    const rows = await aggregates.load(lansdelId, ['header']);
    const list = rows.list('header').map((row) => row.value);
    return filter ? list.filter(filter) : list;
  };

  const commit = async (change: ParticipantChange): Promise<ChangeOutcome> => {
    const { participant } = change;
    let outcome: Awaited<ReturnType<typeof aggregates.commit>>;
    try {
      outcome = await aggregates.commit(participant.lansdelId, {
        writes: writesOf(change),
        audit: change.audit,
        marker: { key: markerKeyOf(change), result: { code: participant.code } },
      });
    } catch (error) {
      // "Not stored" must stay true: a change still on its way is fenced off first.
      const version = change.version;
      if (!version || !isAppError(error, 'storage-unavailable')) throw error;
      if ((await fenceLostChange(client, { ...change, version })) === 'not-landed') throw error;
      return { kind: 'committed', version: '' };
    }
    if (outcome.kind === 'repeated') return { kind: 'repeated' };
    const version = outcome.etags.get(rowKey('h', participant.code)) ?? '';
    return { kind: 'committed', version };
  };

  /** Writes a reservation's participant once; the reservation goes when it is stored. */
  const finishPending = async (pending: PendingEnrolment): Promise<FinishOutcome> => {
    let outcome: FinishOutcome;
    try {
      const written = await commit(pending.change);
      outcome =
        written.kind === 'committed'
          ? { kind: 'written', participant: pending.change.participant }
          : { kind: 'present' };
    } catch (error) {
      // The header is there without its marker (the marker was purged since).
      if (!isAppError(error, 'already-exists')) throw error;
      outcome = { kind: 'present' };
    }
    try {
      await codes.release(pending);
    } catch (error) {
      // The participant is stored; a reservation left behind is released by the next sweep
      // (its write then finds the marker and changes nothing).
      if (!isAppError(error, 'storage-unavailable')) throw error;
    }
    return outcome;
  };

  const sweepAll = async (sweep: (lansdelId: string) => Promise<number>) => {
    let total = 0;
    for (const lansdelId of lansdelIds) total += await sweep(lansdelId);
    return total;
  };

  return {
    reserve: (year, intents, onReserved) => codes.reserve(year, intents, onReserved),

    async finish(code) {
      const pending = await codes.pendingOf(code);
      return pending ? finishPending(pending) : { kind: 'none' };
    },

    async finishPending(before) {
      const written: Participant[] = [];
      for (const pending of await codes.pending(before)) {
        const outcome = await finishPending(pending);
        if (outcome.kind === 'written') written.push(outcome.participant);
      }
      return written;
    },

    codeOfRequest: (requestId) => codes.codeOfRequest(requestId),

    importedRequests: () => codes.importedRequests(),

    get,

    async timeline(participant, limit, after) {
      const range = ownRange(participant.code);
      const from = after && after.startsWith(range.from) ? after : range.from;
      const rows = await firstRows(
        participant.lansdelId,
        rowKey('e', from),
        rowKey('e', range.to),
        limit + 1,
      );
      const events = rows.slice(0, limit).map((row) => participantEventSchema.parse(plain(row)));
      const next = rows[limit] ? AggregateTable.idOf(String(rows[limit].rowKey)) : undefined;
      return { events, ...(next ? { next } : {}) };
    },

    pageWith,

    async history(participant) {
      const rows = await aggregates.range(
        participant.lansdelId,
        'event',
        ownRange(participant.code),
      );
      return rows.map((row) => row.value).sort((a, b) => a.seq - b.seq);
    },

    async outcomeRows(participant) {
      const rows = await aggregates.range(
        participant.lansdelId,
        'outcome',
        ownRange(participant.code),
      );
      return rows.map(({ value }) => ({ step: value.step, on: value.on, seq: value.seq }));
    },

    commit,

    async listForCoach(coachIds) {
      const wanted = new Set(coachIds);
      const lists = await Promise.all(
        lansdelIds.map((id) => headers(id, (p) => wanted.has(p.coachId))),
      );
      return lists.flat();
    },

    listLansdel: (lansdelId) => headers(lansdelId),

    reportRows: (lansdelId) => reportCopy.rows(lansdelId),

    async listEndedBefore(cutoff) {
      const lists = await Promise.all(
        lansdelIds.map((id) => headers(id, (p) => p.endedOn !== undefined && p.endedOn < cutoff)),
      );
      return lists.flat();
    },

    async auditOf(participant) {
      const entries = await aggregates.audit(participant.lansdelId);
      return entries.filter((entry) => entry.subjectId === participant.code);
    },

    oldAuditRows: (cutoff, remove) =>
      sweepAll((lansdelId) => housekeeping.oldAudit(lansdelId, cutoff, remove)),

    /** Also removes (uncounted) the removal marks no report copy needs any longer. */
    oldMarkers: (cutoff, remove) =>
      sweepAll(async (lansdelId) => {
        if (remove) {
          await housekeeping.oldRemovals(lansdelId, new Date(now().getTime() - REMOVAL_KEEP_MS));
        }
        return housekeeping.oldMarkers(lansdelId, cutoff, remove);
      }),

    async remove(code) {
      const lansdelId = await lansdelOf(code);
      if (!lansdelId) return;
      const stored = await get(code);
      if (stored) {
        const [page, ...own] = await Promise.all([
          aggregates.row(lansdelId, 'firstPage', code),
          ...['e', 'o', 'audit'].map((prefix) => housekeeping.ownRows(lansdelId, prefix, code)),
        ]);
        const pageKey = page ? [rowKey(participantKinds.firstPage.prefix, code)] : [];
        // The header goes last, with the mark that takes the participant out of report copies.
        await housekeeping.removeRows(lansdelId, [...own.flat(), ...pageKey]);
        await housekeeping.removeHeader(lansdelId, rowKey('h', code), [
          reportCopy.removalRow(lansdelId, code),
        ]);
      }
      await codes.forget(code, stored?.value.enrolRequestId);
      knownLansdel.delete(code);
    },

    migrateAll: () => sweepAll(ready),
  };
}

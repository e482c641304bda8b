import type { Principal } from '../../access/access.schema.js';
import type { AuditEntry } from '../../audit/audit.schema.js';
import { retryOnConflict } from '../../concurrency.js';
import { isAppError, notFound } from '../../errors.js';
import { addDays, toLocal } from '../../schedule/local-time.js';
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
} from '../meetings.repository.js';
import type { OccurrenceHeader } from '../meetings.schema.js';
import { LOOKBACK_DAYS, SeriesState } from './series-state.js';

/**
 * How often a change is tried against a fresh read when another writer got in first. Many
 * people adding to one agenda at once (measured: 36 at the same moment on three instances) need
 * a few rounds; the growing random pause keeps the last one well inside Teams' 15 seconds.
 */
const RACE_ATTEMPTS = 8;

/** What every meeting use case needs. */
export interface MeetingDeps {
  readonly repo: SeriesRepository;
  readonly now: () => Date;
}

/** Which meeting a card or command points at. */
export interface OccurrenceRef extends SeriesRef {
  readonly date: string;
}

/** The window a use case about one meeting reads: every header from then on, its elements. */
export function windowFor(date: string, now: Date, elementsTo = date): SeriesWindow {
  const lookback = addDays(toLocal(now).date, -LOOKBACK_DAYS);
  return {
    headsFrom: date < lookback ? date : lookback,
    elements: { from: date, to: elementsTo },
  };
}

const missing = () => notFound('Mötesserien finns inte i den här kanalen.');

/** Reads a series (and one meeting's elements); refuses when it is not in the channel. */
export async function readSeries(
  deps: MeetingDeps,
  ref: SeriesRef,
  window: SeriesWindow,
): Promise<SeriesState> {
  const rows = await deps.repo.load(ref, window);
  if (!rows) throw missing();
  return new SeriesState(rows, deps.now());
}

/** What a use case decided: the writes and audit of its change, or nothing to write. */
export interface Decided<R> {
  readonly writes?: readonly MeetingWrite[];
  readonly audit?: readonly AuditEntry[];
  readonly result: R;
}

export interface Outcome<R> {
  readonly state: SeriesState;
  readonly result: R;
  /** `changed`: this call wrote; `unchanged`: nothing to write; `repeated`: written before. */
  readonly kind: 'changed' | 'unchanged' | 'repeated';
}

/**
 * Read, decide, commit: one transaction holding the change, its audit entries and the marker
 * `markerKey`, retried on a lost race with a fresh read. `read` may read more than one query
 * (e.g. the next meeting's elements) before `decide` runs. The returned state is the read one
 * with the writes applied: the answer card is rendered from it, never from a second read.
 */
export async function transact<R>(
  deps: MeetingDeps,
  read: () => Promise<SeriesState>,
  markerKey: string,
  decide: (state: SeriesState) => Decided<NoInfer<R>>,
): Promise<Outcome<R>> {
  return retryOnConflict(async () => {
    const state = await read();
    const decided = decide(state);
    const writes = decided.writes ?? [];
    if (writes.length === 0) return { state, result: decided.result, kind: 'unchanged' };
    const meetingId = state.series.id;
    const committed = await commitOrRecognise(deps, meetingId, {
      writes,
      audit: decided.audit ?? [],
      marker: { key: markerKey },
    });
    if (committed.kind === 'repeated') {
      return { state: await read(), result: decided.result, kind: 'repeated' };
    }
    return {
      state: new SeriesState(applied(state.rows, writes, committed.etags), state.now),
      result: decided.result,
      kind: 'changed',
    };
  }, RACE_ATTEMPTS);
}

/**
 * Commits; a conflict is checked against the marker first. When the answer to a transaction is
 * lost, the storage client sends it again, and its conditional writes then fail against the
 * etags the first attempt changed: that is this very change, already stored, not a lost race.
 */
async function commitOrRecognise(
  deps: MeetingDeps,
  meetingId: string,
  change: MeetingChange,
): Promise<MeetingCommit> {
  try {
    return await deps.repo.commit(meetingId, change);
  } catch (error) {
    if (
      isAppError(error, 'conflict') &&
      (await deps.repo.markerLanded(meetingId, change.marker.key))
    ) {
      return { kind: 'repeated', result: {} };
    }
    throw error;
  }
}

/** The rows after the writes, with the etags the commit returned ('' when it did not). */
function applied(
  rows: SeriesRows,
  writes: readonly MeetingWrite[],
  etags: readonly (string | undefined)[],
): SeriesRows {
  let series = rows.series;
  const headers = new Map(rows.headers);
  const elements = new Map<string, Stored<ElementRow>>(
    rows.elements.map((row) => [elementKey(row.value), row]),
  );
  writes.forEach((write, index) => {
    const etag = etags[index] ?? '';
    if (write.row === 'series') series = { value: write.value, etag };
    else if (write.row === 'occurrence')
      headers.set(write.value.date, { value: write.value, etag });
    else elements.set(elementKey(write.value), { value: write.value, etag });
  });
  return { ...rows, series, headers, elements: [...elements.values()] };
}

const elementKey = (value: ElementRow) => `${value.date}|${value.row}|${value.id}`;

/** The audit entry of a change to a series: codes and ids only, never text. */
export function auditOf(
  actor: Principal,
  now: Date,
  action: string,
  meetingId: string,
  details: Record<string, string | number>,
): AuditEntry {
  return {
    at: now.toISOString(),
    actorId: actor.userId,
    ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
    action,
    subjectType: 'meeting',
    subjectId: meetingId,
    details,
  };
}

/** Writes a header: created the first time, else replaced against the etag read (the guard). */
export function headerWrite(state: SeriesState, value: OccurrenceHeader, now: Date): MeetingWrite {
  const stored = state.header(value.date);
  const next: OccurrenceHeader = {
    ...value,
    revision: (stored?.value.revision ?? 0) + 1,
    updatedAt: now.toISOString(),
  };
  return stored?.etag
    ? { op: 'replace', row: 'occurrence', value: next, etag: stored.etag }
    : { op: 'create', row: 'occurrence', value: next };
}

/** Writes an element: created when new, else replaced against the etag read. */
export function elementWrite(
  existing: Stored<ElementRow> | undefined,
  value: ElementRow,
): MeetingWrite {
  return existing?.etag
    ? { op: 'replace', row: 'element', value, etag: existing.etag }
    : { op: 'create', row: 'element', value };
}

import type { MeetingWrite } from '../meetings.repository.js';
import { MAX_ITEMS, type AgendaItem } from '../meetings.schema.js';
import type { Planned, SeriesState } from '../series/series-state.js';
import { SeriesState as State } from '../series/series-state.js';
import {
  elementWrite,
  headerWrite,
  readSeries,
  windowFor,
  type MeetingDeps,
  type OccurrenceRef,
} from '../series/unit-of-work.js';

/** What carrying items on to a later meeting writes, and what did not fit there. */
export interface CarryOver {
  readonly writes: readonly MeetingWrite[];
  readonly to: string;
  readonly carried: readonly AgendaItem[];
  /** Items that stayed behind because the later agenda was full (40 items). */
  readonly notCarried: readonly AgendaItem[];
}

/**
 * Copies `items` of meeting `fromDate` onto the agenda of `target`, marked as carried over,
 * as far as the 40-item cap allows (the first in agenda order go first), and marks each copied
 * original `deferred`. An item already copied there is not copied again.
 */
export function carryOver(
  state: SeriesState,
  fromDate: string,
  target: Planned,
  items: readonly AgendaItem[],
): CarryOver {
  const next = state.occurrence(target.key)!;
  const count = state.itemCount(target.key);
  if (count === undefined) throw new Error('The later meeting was read without its item count');
  const present = new Set(next.items.map((item) => item.id));
  const incoming = items.filter((item) => !present.has(item.id));
  const room = Math.max(0, MAX_ITEMS - count);
  const carried = incoming.slice(0, room);
  const notCarried = incoming.slice(room);
  if (carried.length === 0) return { writes: [], to: target.key, carried, notCarried };
  let order = next.header.nextOrder;
  const fromRows = state.itemRows(fromDate);
  const writes: MeetingWrite[] = [];
  for (const item of carried) {
    const { notes: _notes, ...rest } = item;
    writes.push({
      op: 'create',
      row: 'element',
      value: {
        row: 'item',
        ...rest,
        date: target.key,
        status: 'active',
        late: false,
        handled: false,
        order: order++,
        carriedOverFrom: fromDate,
      },
    });
    const original = fromRows.find((row) => row.value.id === item.id);
    writes.push(elementWrite(original, { row: 'item', ...item, status: 'deferred' }));
  }
  writes.push(
    headerWrite(
      state,
      { ...next.header, nextOrder: order, itemCount: count + carried.length },
      state.now,
    ),
  );
  return { writes, to: target.key, carried, notCarried };
}

/**
 * The meeting items move on to: `toDate` when given (a later, open meeting of the series), else
 * the next open one.
 */
export function nextTarget(state: SeriesState, date: string, toDate?: string): Planned | undefined {
  if (!toDate) return state.nextAfter(date);
  return state
    .planned(date)
    .find(
      (o) =>
        o.key === toDate &&
        o.key > date &&
        (o.status === 'planned' || o.status === 'moved') &&
        (state.header(o.key)?.value.state ?? 'planned') === 'planned',
    );
}

/**
 * Reads a meeting and what carrying its items to a later meeting needs: the series' headers
 * and the meeting's rows (two queries in parallel); the later meeting's rows only when its
 * header predates the item count.
 */
export async function readWithNext(
  deps: MeetingDeps,
  ref: OccurrenceRef,
  toDate?: string,
): Promise<SeriesState> {
  const first = await readSeries(deps, ref, windowFor(ref.date, deps.now()));
  const next = nextTarget(first, ref.date, toDate);
  // The later meeting's header counts its items; only a header from before the count needs
  // its rows read.
  if (!next || first.itemCount(next.key) !== undefined) return first;
  const more = await deps.repo.elements(ref.meetingId, next.key, next.key);
  return new State(
    {
      ...first.rows,
      elements: [...first.rows.elements, ...more],
      window: { ...first.rows.window, elements: { from: ref.date, to: next.key } },
    },
    first.now,
  );
}

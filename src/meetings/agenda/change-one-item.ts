import type { Principal } from '../../access/access.schema.js';
import type { AgendaItem } from '../meetings.schema.js';
import { itemOf, occurrenceOf, requireNotClosed } from '../series/rules.js';
import type { SeriesState } from '../series/series-state.js';
import {
  auditOf,
  elementWrite,
  headerWrite,
  readSeries,
  transact,
  windowFor,
  type MeetingDeps,
  type OccurrenceRef,
  type Outcome,
} from '../series/unit-of-work.js';

/**
 * Changes one agenda item of an open meeting in one transaction, audited as `action`. `change`
 * returns the item as it should be, or undefined when it already is (a repeat writes nothing).
 */
export function changeOneItem(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  itemId: string,
  requestKey: string,
  action: string,
  change: (item: AgendaItem, state: SeriesState) => AgendaItem | undefined,
): Promise<Outcome<{ changed: boolean }>> {
  return transact(
    deps,
    () => readSeries(deps, ref, windowFor(ref.date, deps.now())),
    `${action}|${itemId}|${requestKey}`,
    (state) => {
      const occurrence = occurrenceOf(state, ref.date);
      requireNotClosed(occurrence);
      const updated = change(itemOf(occurrence, itemId), state);
      if (!updated) return { result: { changed: false } };
      const stored = state.itemRows(ref.date).find((row) => row.value.id === itemId);
      return {
        writes: [
          headerWrite(state, occurrence.header, state.now),
          elementWrite(stored, { row: 'item', ...updated }),
        ],
        audit: [auditOf(actor, state.now, action, ref.meetingId, { date: ref.date, itemId })],
        result: { changed: true },
      };
    },
  );
}

import type { Principal } from '../../access/access.schema.js';
import { notFound } from '../../errors.js';
import { isOpenItem, occurrenceOf, requireCoordinator, requireOpen } from '../series/rules.js';
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
 * Moves an item one place up or down (samordnare). `fromNumber` is the item's number on the
 * clicked card: when it is no longer there (a repeated click), nothing moves.
 */
export function reorderItem(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  itemId: string,
  direction: 'up' | 'down',
  fromNumber: number | undefined,
  requestKey: string,
): Promise<Outcome<{ moved: boolean }>> {
  requireCoordinator(actor);
  return transact(
    deps,
    () => readSeries(deps, ref, windowFor(ref.date, deps.now())),
    `reorder|${itemId}|${requestKey}`,
    (state) => {
      const occurrence = occurrenceOf(state, ref.date);
      requireOpen(occurrence, state.now);
      const ordered = occurrence.items.filter(isOpenItem);
      const index = ordered.findIndex((i) => i.id === itemId);
      if (index < 0) throw notFound('Punkten finns inte längre på dagordningen.');
      const item = ordered[index]!;
      const other = ordered[direction === 'up' ? index - 1 : index + 1];
      if (!other || (fromNumber !== undefined && fromNumber !== index + 1)) {
        return { result: { moved: false } };
      }
      const rows = state.itemRows(ref.date);
      const rowOf = (id: string) => rows.find((row) => row.value.id === id);
      return {
        writes: [
          headerWrite(state, occurrence.header, state.now),
          elementWrite(rowOf(item.id), { row: 'item', ...item, order: other.order }),
          elementWrite(rowOf(other.id), { row: 'item', ...other, order: item.order }),
        ],
        audit: [
          auditOf(actor, state.now, 'meetings.item.reorder', ref.meetingId, {
            date: ref.date,
            itemId,
          }),
        ],
        result: { moved: true },
      };
    },
  );
}

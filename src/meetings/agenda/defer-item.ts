import type { Principal } from '../../access/access.schema.js';
import { invalidInput } from '../../errors.js';
import {
  isOpenItem,
  itemOf,
  occurrenceOf,
  requireCoordinator,
  requireNotClosed,
} from '../series/rules.js';
import {
  auditOf,
  headerWrite,
  transact,
  type MeetingDeps,
  type OccurrenceRef,
  type Outcome,
} from '../series/unit-of-work.js';
import { carryOver, nextTarget, readWithNext } from './carry-over.js';

/**
 * Moves an item on to the next meeting of the series (samordnare): the copy there and the
 * original marked `deferred`, in one transaction.
 */
export function deferItem(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  itemId: string,
  requestKey: string,
): Promise<Outcome<{ to: string; changed: boolean }>> {
  requireCoordinator(actor);
  return transact(
    deps,
    () => readWithNext(deps, ref),
    `defer|${itemId}|${requestKey}`,
    (state) => {
      const occurrence = occurrenceOf(state, ref.date);
      requireNotClosed(occurrence);
      const item = itemOf(occurrence, itemId);
      const next = nextTarget(state, ref.date);
      if (!next) throw invalidInput('Det finns inget senare möte att skjuta upp punkten till.');
      if (item.status === 'deferred') return { result: { to: next.key, changed: false } };
      if (!isOpenItem(item))
        throw invalidInput('Punkten är tillbakadragen och kan inte skjutas upp.');
      const moved = carryOver(state, ref.date, next, [item]);
      if (moved.carried.length === 0) {
        throw invalidInput(`Dagordningen för mötet ${next.key} är full (högst 40 punkter).`);
      }
      return {
        writes: [headerWrite(state, occurrence.header, state.now), ...moved.writes],
        audit: [
          auditOf(actor, state.now, 'meetings.item.defer', ref.meetingId, {
            date: ref.date,
            itemId,
            to: next.key,
          }),
        ],
        result: { to: next.key, changed: true },
      };
    },
  );
}

import type { Principal } from '../../access/access.schema.js';
import { forbidden, notFound } from '../../errors.js';
import type { ActionItem } from '../meetings.schema.js';
import { isCoordinator } from '../series/rules.js';
import {
  auditOf,
  elementWrite,
  readSeries,
  transact,
  windowFor,
  type MeetingDeps,
  type OccurrenceRef,
  type Outcome,
} from '../series/unit-of-work.js';

/**
 * Marks an action item done: its owner or a samordnare. The action item's row is the truth
 * (replaced against its etag); its reminder is withdrawn after the commit.
 */
export function completeAction(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  actionId: string,
  requestKey: string,
): Promise<Outcome<{ action: ActionItem; changed: boolean }>> {
  return transact(
    deps,
    () => readSeries(deps, ref, windowFor(ref.date, deps.now())),
    `done|${actionId}|${requestKey}`,
    (state) => {
      const stored = state
        .elementsOf(ref.date)
        .find((row) => row.value.row === 'action' && row.value.id === actionId);
      if (!stored || stored.value.row !== 'action') throw notFound('Uppgiften finns inte.');
      const { row: _row, ...action } = stored.value;
      if (action.ownerId !== actor.userId && !isCoordinator(actor)) {
        throw forbidden('Bara den ansvariga eller en samordnare kan markera uppgiften som klar.');
      }
      if (action.done) return { result: { action, changed: false } };
      const done: ActionItem = {
        ...action,
        done: true,
        doneAt: state.now.toISOString(),
        doneBy: actor.userId,
      };
      return {
        writes: [elementWrite(stored, { row: 'action', ...done })],
        audit: [
          auditOf(actor, state.now, 'meetings.action.done', ref.meetingId, {
            date: ref.date,
            actionId,
          }),
        ],
        result: { action: done, changed: true },
      };
    },
  );
}

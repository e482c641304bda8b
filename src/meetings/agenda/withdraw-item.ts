import type { Principal } from '../../access/access.schema.js';
import { deadlineOf, occurrenceOf, requireItemEditor } from '../series/rules.js';
import type { MeetingDeps, OccurrenceRef } from '../series/unit-of-work.js';
import { changeOneItem } from './change-one-item.js';

/** Takes an item off the agenda: its author until the deadline, a samordnare always. */
export function withdrawItem(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  itemId: string,
  requestKey: string,
) {
  return changeOneItem(
    deps,
    actor,
    ref,
    itemId,
    requestKey,
    'meetings.item.withdraw',
    (item, state) => {
      const afterDeadline = state.now > deadlineOf(state, occurrenceOf(state, ref.date));
      requireItemEditor(actor, item, afterDeadline, 'dra tillbaka');
      return item.status === 'withdrawn' ? undefined : { ...item, status: 'withdrawn' };
    },
  );
}

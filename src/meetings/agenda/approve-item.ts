import type { Principal } from '../../access/access.schema.js';
import { invalidInput } from '../../errors.js';
import { requireCoordinator } from '../series/rules.js';
import type { MeetingDeps, OccurrenceRef } from '../series/unit-of-work.js';
import { changeOneItem } from './change-one-item.js';

/** Puts a late item on the agenda (samordnare). */
export function approveItem(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  itemId: string,
  requestKey: string,
) {
  requireCoordinator(actor);
  return changeOneItem(deps, actor, ref, itemId, requestKey, 'meetings.item.approve', (item) => {
    if (item.status === 'active') return undefined;
    if (item.status !== 'pendingApproval') throw invalidInput('Punkten har redan hanterats.');
    return { ...item, status: 'active' };
  });
}

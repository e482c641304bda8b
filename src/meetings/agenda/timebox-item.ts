import type { Principal } from '../../access/access.schema.js';
import { invalidInput } from '../../errors.js';
import { requireCoordinator } from '../series/rules.js';
import type { MeetingDeps, OccurrenceRef } from '../series/unit-of-work.js';
import { changeOneItem } from './change-one-item.js';
import { minutesFrom } from './item-form.js';

/** Changes how many minutes an item gets (samordnare). */
export function timeboxItem(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  itemId: string,
  requestKey: string,
  rawMinutes: string | number | undefined,
) {
  requireCoordinator(actor);
  const minutes = minutesFrom(rawMinutes);
  if (minutes === undefined) throw invalidInput('Ange minuter.');
  return changeOneItem(deps, actor, ref, itemId, requestKey, 'meetings.item.timebox', (item) =>
    item.minutes === minutes ? undefined : { ...item, minutes },
  );
}

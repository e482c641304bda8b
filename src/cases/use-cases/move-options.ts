import type { Principal } from '../../access/access.schema.js';
import { invalidInput } from '../../errors.js';
import { requireCase } from '../case-change.js';
import type { CaseDeps, MeetingSlot } from '../case-ports.js';
import { requireCoordinator } from '../case-rights.js';
import type { CaseSnapshot } from '../case-store.js';
import { caseStatusLabels } from '../cases.schema.js';
import { PLANNING_DAYS, upcomingOnce } from './planning.js';

/** The meetings a planned case can be moved to, for the move card. Samordnare only. */
export async function moveOptions(
  deps: CaseDeps,
  actor: Principal,
  code: string,
  conversationId?: string,
): Promise<{ snapshot: CaseSnapshot; slots: MeetingSlot[] }> {
  await requireCoordinator(deps.people, actor, 'flytta ärenden');
  const upcoming = upcomingOnce(deps.meetings, conversationId);
  const snapshot = await requireCase(deps.store, code);
  const { value } = snapshot;
  if (value.status !== 'planerad') {
    throw invalidInput(
      `Ärendet ${code} är ${caseStatusLabels[value.status].toLowerCase()}, inte planerat. Planera det först.`,
    );
  }
  const now = deps.now();
  const slots = (await upcoming(value.conversationId))
    .filter((slot) => !slot.cancelled && slot.startsAt > now)
    .slice(0, 12);
  if (slots.length <= 1) {
    throw invalidInput(
      `Det finns inget annat kommande möte att flytta ärendet till inom ${PLANNING_DAYS} dagar.`,
    );
  }
  return { snapshot, slots };
}

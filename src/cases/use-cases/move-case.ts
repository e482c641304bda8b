import type { Principal } from '../../access/access.schema.js';
import { invalidInput } from '../../errors.js';
import { caseAuditEntry } from '../case-audit.js';
import { changeCase, type Changed } from '../case-change.js';
import type { CaseDeps } from '../case-ports.js';
import { requireCoordinator } from '../case-rights.js';
import { caseStatusLabels } from '../cases.schema.js';
import type { PlanRequest } from './plan-case.js';
import { findSlot, planFor, upcomingOnce } from './planning.js';

/** Moves a planned case to another meeting of its conversation. Samordnare only. */
export async function moveCase(
  deps: CaseDeps,
  actor: Principal,
  request: PlanRequest & { readonly date: string },
): Promise<Changed> {
  await requireCoordinator(deps.people, actor, 'flytta ärenden');
  const upcoming = upcomingOnce(deps.meetings, request.conversationId);
  const { code } = request;
  return changeCase(deps.store, code, `move|${code}|${request.key}`, async ({ value }) => {
    if (value.status !== 'planerad') {
      throw invalidInput(
        `Ärendet ${code} är ${caseStatusLabels[value.status].toLowerCase()}, inte planerat. Planera det först (knappen Planera, eller /ärenden planera ${code}).`,
      );
    }
    const now = deps.now();
    const plan = planFor(
      findSlot(await upcoming(value.conversationId), value, now, request),
      request.slot,
    );
    const at = now.toISOString();
    return {
      next: { ...value, plan, carriedOverFrom: undefined, updatedAt: at },
      events: [
        { at, by: actor.userId, from: 'planerad', to: 'planerad', note: 'moved', date: plan.date },
      ],
      audit: [caseAuditEntry(actor, now, 'cases.move', code, { date: plan.date })],
    };
  });
}

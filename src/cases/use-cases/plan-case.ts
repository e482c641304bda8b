import type { Principal } from '../../access/access.schema.js';
import { caseAuditEntry } from '../case-audit.js';
import { changeCase, type Changed } from '../case-change.js';
import { requireTransition } from '../case-lifecycle.js';
import type { CaseDeps } from '../case-ports.js';
import { requireCoordinator } from '../case-rights.js';
import { findSlot, planFor, upcomingOnce } from './planning.js';

export interface PlanRequest {
  readonly code: string;
  /** A meeting date (ÅÅÅÅ-MM-DD); without it the preferred series' or the next meeting. */
  readonly date?: string;
  readonly meetingId?: string;
  /** A samråd time slot (TT:MM). */
  readonly slot?: string;
  /** The request's id: the card's request id or the message's activity id. */
  readonly key: string;
  /** Where the command came from, to read its meetings while the case is read. */
  readonly conversationId?: string;
}

/** Plans a case for a meeting of its conversation. Samordnare only. */
export async function planCase(
  deps: CaseDeps,
  actor: Principal,
  request: PlanRequest,
): Promise<Changed> {
  await requireCoordinator(deps.people, actor, 'planera ärenden');
  const upcoming = upcomingOnce(deps.meetings, request.conversationId);
  const { code } = request;
  return changeCase(deps.store, code, `plan|${code}|${request.key}`, async ({ value }) => {
    requireTransition(code, value.status, 'planerad');
    const now = deps.now();
    const slot = findSlot(await upcoming(value.conversationId), value, now, request);
    const plan = planFor(slot, request.slot);
    const at = now.toISOString();
    return {
      next: {
        ...value,
        status: 'planerad',
        plan,
        carriedOverFrom: undefined,
        queue: value.status === 'iko' ? undefined : value.queue,
        updatedAt: at,
      },
      events: [
        {
          at,
          by: actor.userId,
          from: value.status,
          to: 'planerad',
          note: 'planned',
          date: plan.date,
        },
      ],
      audit: [
        caseAuditEntry(actor, now, 'cases.plan', code, {
          meetingId: plan.meetingId,
          date: plan.date,
        }),
      ],
    };
  });
}

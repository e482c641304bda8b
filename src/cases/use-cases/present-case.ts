import type { Principal } from '../../access/access.schema.js';
import { caseAuditEntry } from '../case-audit.js';
import { changeCase, type Changed } from '../case-change.js';
import { requireTransition } from '../case-lifecycle.js';
import type { CaseDeps } from '../case-ports.js';
import { requireCoordinator } from '../case-rights.js';

/** Marks a planned case as presented (dragen) at its meeting; again changes nothing. */
export async function presentCase(
  deps: CaseDeps,
  actor: Principal,
  request: { readonly code: string; readonly key: string },
): Promise<Changed> {
  await requireCoordinator(deps.people, actor, 'markera ärenden som dragna');
  const { code } = request;
  return changeCase(deps.store, code, `present|${code}|${request.key}`, ({ value }) => {
    if (value.status === 'dragen') return undefined;
    requireTransition(code, value.status, 'dragen');
    const now = deps.now();
    const at = now.toISOString();
    return {
      next: { ...value, status: 'dragen', updatedAt: at },
      events: [
        {
          at,
          by: actor.userId,
          from: value.status,
          to: 'dragen',
          note: 'presented',
          ...(value.plan ? { date: value.plan.date } : {}),
        },
      ],
      audit: [caseAuditEntry(actor, now, 'cases.present', code)],
    };
  });
}

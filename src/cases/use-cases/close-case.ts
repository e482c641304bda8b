import type { Principal } from '../../access/access.schema.js';
import { caseAuditEntry } from '../case-audit.js';
import { changeCase, type Changed } from '../case-change.js';
import { requireTransition } from '../case-lifecycle.js';
import type { CaseDeps } from '../case-ports.js';
import { requireCoordinator } from '../case-rights.js';

/** Closes a case (avslutad); it leaves the open queue. Closing again changes nothing. */
export async function closeCase(
  deps: CaseDeps,
  actor: Principal,
  request: { readonly code: string; readonly key: string },
): Promise<Changed> {
  await requireCoordinator(deps.people, actor, 'avsluta ärenden');
  const { code } = request;
  return changeCase(deps.store, code, `close|${code}|${request.key}`, (current) => {
    const { value } = current;
    if (value.status === 'avslutad') return undefined;
    requireTransition(code, value.status, 'avslutad');
    const now = deps.now();
    const at = now.toISOString();
    return {
      next: { ...value, status: 'avslutad', closedAt: at, updatedAt: at },
      events: [{ at, by: actor.userId, from: value.status, to: 'avslutad', note: 'closed' }],
      audit: [
        caseAuditEntry(actor, now, 'cases.close', code, {
          outcome: current.decisions.at(-1)?.outcome ?? 'ingetBeslut',
        }),
      ],
    };
  });
}

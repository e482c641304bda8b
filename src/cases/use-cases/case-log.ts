import type { Principal } from '../../access/access.schema.js';
import { caseAuditEntry } from '../case-audit.js';
import { requireCase } from '../case-change.js';
import type { CaseDeps } from '../case-ports.js';
import { requireCoordinator } from '../case-rights.js';
import type { LogPage } from '../case-store.js';

/** The audit log of one case, newest first, for samordnare. Reading it is itself audited. */
export async function caseLog(
  deps: CaseDeps,
  actor: Principal,
  request: {
    readonly code: string;
    readonly after?: string;
    readonly limit: number;
    readonly key: string;
  },
): Promise<LogPage> {
  await requireCoordinator(deps.people, actor, 'läsa ärendenas logg');
  const { code } = request;
  await requireCase(deps.store, code);
  await deps.store.record(
    code,
    [caseAuditEntry(actor, deps.now(), 'cases.log', code)],
    `log|${request.key}`,
  );
  return deps.store.log(code, {
    ...(request.after ? { after: request.after } : {}),
    limit: request.limit,
  });
}

import type { Principal } from '../../access/access.schema.js';
import { caseAuditEntry } from '../case-audit.js';
import { requireCase } from '../case-change.js';
import type { CaseDeps } from '../case-ports.js';
import { maySeeDetails, refuseDetails } from '../case-rights.js';
import type { CaseSnapshot, HistoryPage } from '../case-store.js';

export interface ViewRequest {
  readonly code: string;
  /** Continue the history below this sequence number ("Visa fler"); newest page when absent. */
  readonly before?: number;
  readonly limit: number;
  /** The request's id: a view is audited once however often Teams delivers it. */
  readonly key: string;
}

/**
 * The whole case with a page of its history, for samordnare and the referring organisation.
 * Every view, and every refused one, is written to the case's audit log before anything is shown.
 */
export async function viewCase(
  deps: CaseDeps,
  actor: Principal,
  request: ViewRequest,
): Promise<{ snapshot: CaseSnapshot; history: HistoryPage }> {
  const { code, limit } = request;
  const older =
    request.before === undefined
      ? undefined
      : deps.store.history(code, { before: request.before, limit });
  void older?.catch(() => undefined);
  const snapshot = await requireCase(deps.store, code);
  const now = deps.now();
  if (!maySeeDetails(actor, snapshot.value)) {
    await deps.store.record(
      code,
      [caseAuditEntry(actor, now, 'cases.view.refused', code)],
      `view|${request.key}`,
    );
    return refuseDetails(deps.people);
  }
  const [history] = await Promise.all([
    older ?? deps.store.history(code, { before: snapshot.value.historyCount + 1, limit }),
    deps.store.record(
      code,
      [caseAuditEntry(actor, now, 'cases.view', code)],
      `view|${request.key}`,
    ),
  ]);
  return { snapshot, history };
}

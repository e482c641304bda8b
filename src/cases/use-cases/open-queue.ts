import { QUEUE_ORDER } from '../case-lifecycle.js';
import type { CaseDeps } from '../case-ports.js';
import { summaryOf, type CaseStatus, type CaseSummary } from '../cases.schema.js';
import { carryOver, type CarriedOver } from './carry-over.js';

export interface CaseFilter {
  readonly organisationId?: string;
  readonly status?: CaseStatus;
  readonly meetingDate?: string;
}

const statusOrder = (status: CaseStatus) => QUEUE_ORDER.indexOf(status);

function byQueueOrder(a: CaseSummary, b: CaseSummary): number {
  return (
    statusOrder(a.status) - statusOrder(b.status) ||
    (a.plan?.startsAt ?? '').localeCompare(b.plan?.startsAt ?? '') ||
    (a.urgency === b.urgency ? 0 : a.urgency === 'skyndsam' ? -1 : 1) ||
    a.code.localeCompare(b.code)
  );
}

/**
 * The open queue of a conversation: one narrow read of its queue lines, after moving on cases
 * whose meeting has passed. Every channel member may see it (codes, status, organisation and
 * meeting only).
 */
export async function openQueue(
  deps: CaseDeps,
  conversationId: string,
  filter: CaseFilter = {},
): Promise<{ cases: CaseSummary[]; carried: CarriedOver[] }> {
  const open = await deps.store.open(conversationId);
  const carried = await carryOver(deps, open);
  const moved = new Map(
    carried.flatMap((c) => (c.snapshot ? [[c.code, summaryOf(c.snapshot.value)] as const] : [])),
  );
  const cases = open
    .map((summary) => moved.get(summary.code) ?? summary)
    .filter(
      (c) =>
        (!filter.organisationId || c.organisationId === filter.organisationId) &&
        (!filter.status || c.status === filter.status) &&
        (!filter.meetingDate || c.plan?.date === filter.meetingDate),
    )
    .sort(byQueueOrder);
  return { cases, carried };
}

import type { Principal } from '../../access/access.schema.js';
import { hasRole } from '../../access/access.schema.js';
import { formatWhenShort } from '../../schedule/format.js';
import type { CaseSnapshot, HistoryPage } from '../case-store.js';
import {
  caseRequestLabels,
  caseUrgencyLabels,
  summaryOf,
  type CaseDecision,
} from '../cases.schema.js';
import { nextSteps } from './case-buttons.js';
import {
  decisionTitle,
  eventText,
  NO_NOTICE,
  summaryRow,
  type Notice,
  type OrgNames,
} from './case-text.js';

/** History entries per page of the detail card, largest first (the budget picks one). */
export const HISTORY_PAGE_SIZES = [20, 10, 5] as const;
const SHOWN_DECISIONS = 3;

function decisionMeta(decision: CaseDecision): string {
  return `${decision.decidedByName || 'Samordnare'} · ${formatWhenShort(new Date(decision.at))}${
    decision.referrerPresent ? '' : ' · den anmälande organisationen var inte närvarande'
  }`;
}

/**
 * Everything about one case, for samordnare and the referring organisation only: the newest
 * decisions and one page of history, newest first, with "Visa fler" for older entries.
 */
export function detailView(
  snapshot: CaseSnapshot,
  history: HistoryPage,
  names: OrgNames,
  viewer: Principal,
  pageSize: number,
  notice: Notice = NO_NOTICE,
  refreshUserIds: readonly string[] = [],
) {
  const { value, decisions } = snapshot;
  const entries = history.entries.slice(0, pageSize);
  const oldestShown = entries.at(-1)?.seq;
  const shownDecisions = decisions.slice(-SHOWN_DECISIONS).reverse();
  const earlier = decisions.length - shownDecisions.length;
  return {
    ...summaryRow(summaryOf(value), names),
    ...nextSteps(value, viewer),
    notice: notice.text,
    noticeIsError: notice.isError,
    request: caseRequestLabels[value.request],
    insats: value.insats ?? '',
    urgency: caseUrgencyLabels[value.urgency],
    reason: value.reason,
    submittedAt: value.submittedAt.slice(0, 10),
    consent: 'Samtycke till informationsutbyte finns',
    queue: value.queue
      ? `I kö till ${value.queue.insats} sedan ${value.queue.since.slice(0, 10)}`
      : '',
    participant: value.participantCode ? `Deltagarkod: ${value.participantCode}` : '',
    decisions: shownDecisions.map((d) => ({
      title: decisionTitle(d),
      motivation: d.motivation,
      meta: decisionMeta(d),
    })),
    earlierDecisions:
      earlier > 0 ? `${earlier} tidigare beslut finns i registerutdraget (/gallring utdrag).` : '',
    history: entries.map((e) => ({ text: eventText(e) })),
    historyNote: `${value.historyCount} ${value.historyCount === 1 ? 'händelse' : 'händelser'} totalt${
      entries.length > 0 ? `, här nr ${entries[0]!.seq}–${oldestShown}` : ''
    }.`,
    hasMoreHistory: oldestShown !== undefined && oldestShown > 1,
    before: oldestShown ?? 0,
    canLog: hasRole(viewer, 'samordnare', 'admin'),
    refreshUserIds: [...refreshUserIds],
  };
}

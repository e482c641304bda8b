import type { Principal } from '../../access/access.schema.js';
import { renderCard, type CardJson } from '../../bot/card-renderer.js';
import type { Changed } from '../case-change.js';
import type { CaseSnapshot, HistoryPage, LogPage } from '../case-store.js';
import {
  caseOutcomeLabels,
  caseStatusLabels,
  type CaseDecision,
  type CaseSummary,
} from '../cases.schema.js';
import type { Attendance } from '../use-cases/attendance.js';
import { renderWithin } from './card-budget.js';
import { caseCardView, type CaseCardOptions } from './case-card-view.js';
import { ok, plannedText, type Notice, type OrgNames } from './case-text.js';
import { decisionView, type DecisionValues } from './decision-view.js';
import { detailView, HISTORY_PAGE_SIZES } from './detail-view.js';
import { LOG_PAGE_SIZES, logView } from './log-view.js';

const tooBig = (what: string) =>
  renderCard('notice', {
    title: 'Kortet blev för stort',
    text: `${what} får inte plats på ett kort. Skriv /gallring utdrag med koden (administratör) för allt som finns sparat.`,
    tone: 'attention',
  });

export const caseCard = (
  summary: CaseSummary,
  names: OrgNames,
  viewer: Principal | undefined,
  options: CaseCardOptions = {},
) => renderCard('case-submitted', caseCardView(summary, names, viewer, options));

export const detailCard = (
  snapshot: CaseSnapshot,
  history: HistoryPage,
  names: OrgNames,
  viewer: Principal,
  notice?: Notice,
  refreshUserIds: readonly string[] = [],
): CardJson =>
  renderWithin(
    'case-detail',
    (size) => detailView(snapshot, history, names, viewer, size, notice, refreshUserIds),
    HISTORY_PAGE_SIZES,
    () => tooBig(`Ärende ${snapshot.value.code}`),
  );

export const logCard = (code: string, page: LogPage, names: OrgNames): CardJson =>
  renderWithin(
    'case-log',
    (size) => logView(code, page, names, size),
    LOG_PAGE_SIZES,
    () => tooBig(`Loggen för ${code}`),
  );

export const decisionCard = (
  snapshot: CaseSnapshot,
  names: OrgNames,
  attendance: Attendance,
  notice?: Notice,
  values?: DecisionValues,
) => renderCard('case-decision', decisionView(snapshot, names, attendance, notice, values));

/** What a step on a case did, in Swedish, from the snapshot it left. */
export function stepNotice(
  step: 'plan' | 'move' | 'present' | 'close' | 'queue',
  changed: Changed,
): Notice {
  const { value } = changed.snapshot;
  if (changed.outcome === 'repeated')
    return ok(`Det här var redan gjort för ${value.code}. Inget ändrades igen.`);
  switch (step) {
    case 'plan':
      return ok(`${value.code} är planerat till ${plannedText(value)}.`);
    case 'move':
      return ok(`${value.code} är flyttat till ${plannedText(value)}.`);
    case 'present':
      return ok(
        changed.outcome === 'unchanged'
          ? `${value.code} var redan markerat som draget.`
          : `${value.code} är markerat som draget. Välj Beslut (eller skriv /ärenden beslut ${value.code}) för beslutet.`,
      );
    case 'close':
      return ok(`${value.code} är ${caseStatusLabels[value.status].toLowerCase()}.`);
    case 'queue':
      return ok(`${value.code} står i kö till ${value.queue?.insats ?? 'insatsen'}.`);
  }
}

export function decisionNotice(decision: CaseDecision, repeated: boolean): string {
  return repeated
    ? 'Beslutet var redan sparat. Det sparades inte igen.'
    : `Beslutet är sparat: ${caseOutcomeLabels[decision.outcome].toLocaleLowerCase('sv-SE')}.`;
}

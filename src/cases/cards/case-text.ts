import type { Organisation } from '../../access/access.schema.js';
import type { AuditEntry } from '../../audit/audit.schema.js';
import { formatWhen, formatWhenShort } from '../../schedule/format.js';
import {
  caseOutcomeLabels,
  caseStatusLabels,
  type CaseDecision,
  type CaseEvent,
  type CaseSummary,
} from '../cases.schema.js';
import type { CarriedOver } from '../use-cases/carry-over.js';

export type OrgNames = ReadonlyMap<string, string>;
export const orgNames = (organisations: readonly Organisation[]): OrgNames =>
  new Map(organisations.map((o) => [o.id, o.name]));
export const orgName = (names: OrgNames, id: string) => names.get(id) ?? id;

/** A line above a card: what just happened, or what went wrong. */
export interface Notice {
  readonly text: string;
  readonly isError: boolean;
}
export const NO_NOTICE: Notice = { text: '', isError: false };
export const ok = (text: string): Notice => ({ text, isError: false });
export const problem = (text: string): Notice => ({ text, isError: true });

/** "Referensgrupp · tis 8 dec. 09:00", with the samråd slot when there is one. */
export function meetingText(value: Pick<CaseSummary, 'plan'>): string {
  if (!value.plan) return 'Inget möte ännu';
  const when = formatWhenShort(new Date(value.plan.startsAt));
  return `${value.plan.meetingName} · ${value.plan.slot ? `${value.plan.date} kl. ${value.plan.slot}` : when}`;
}

/** What every channel member may see of a case: code, status, organisation and meeting. */
export function summaryRow(value: CaseSummary, names: OrgNames) {
  return {
    code: value.code,
    status: caseStatusLabels[value.status],
    organisation: orgName(names, value.organisationId),
    meeting: meetingText(value),
    carried: value.carriedOverFrom
      ? `Flyttat automatiskt från mötet ${value.carriedOverFrom} (hann inte dras)`
      : '',
    urgent: value.urgency === 'skyndsam',
  };
}

export function carriedText(carried: readonly CarriedOver[]): string {
  return carried
    .map((c) =>
      c.to
        ? `${c.code} hann inte dras ${c.from} och är flyttat till mötet ${c.to}.`
        : `${c.code} hann inte dras ${c.from}, och det finns inget senare möte i serien.`,
    )
    .join(' ');
}

/** "Psykiatri-avstämning tisdag 8 december kl. 09:00, tid 13:20". */
export function plannedText(value: Pick<CaseSummary, 'plan'>): string {
  if (!value.plan) return 'inget möte';
  const slot = value.plan.slot ? `, tid ${value.plan.slot}` : '';
  return `${value.plan.meetingName} ${formatWhen(new Date(value.plan.startsAt))}${slot}`;
}

const noteText: Record<CaseEvent['note'], string> = {
  submitted: 'Anmält',
  planned: 'Planerat till mötet',
  moved: 'Flyttat till mötet',
  carriedOver: 'Hann inte dras, flyttat automatiskt till mötet',
  presented: 'Draget på mötet',
  decided: 'Beslut',
  closed: 'Avslutat',
  queued: 'Satt i kö',
};

export function eventText(event: CaseEvent): string {
  return `${formatWhenShort(new Date(event.at))} · ${noteText[event.note]}${event.date ? ` ${event.date}` : ''} (${caseStatusLabels[event.to].toLowerCase()})`;
}

export function decisionTitle(decision: Pick<CaseDecision, 'outcome' | 'insats'>): string {
  return `${caseOutcomeLabels[decision.outcome]}${decision.insats ? `: ${decision.insats}` : ''}`;
}

const actionText: Record<string, string> = {
  'cases.submit': 'Anmälde ärendet',
  'cases.view': 'Visade detaljerna',
  'cases.view.refused': 'Nekades att se detaljerna',
  'cases.plan': 'Planerade till möte',
  'cases.move': 'Flyttade till möte',
  'cases.carryOver': 'Flyttades automatiskt',
  'cases.queue': 'Satte ärendet i kö',
  'cases.present': 'Markerade som draget',
  'cases.decide': 'Fattade beslut',
  'cases.admit': 'Skrev in deltagaren',
  'cases.close': 'Avslutade ärendet',
  'cases.log': 'Läste loggen',
  'cases.extract': 'Tog ut registerutdrag',
  'cases.erase': 'Raderade ärendet',
};

export function auditLine(entry: AuditEntry, names: OrgNames) {
  return {
    when: formatWhenShort(new Date(entry.at)),
    what: actionText[entry.action] ?? entry.action,
    who:
      entry.actorId === 'system'
        ? 'boten, automatiskt'
        : `${entry.actorId}${entry.actorOrganisationId ? ` (${orgName(names, entry.actorOrganisationId)})` : ''}`,
  };
}

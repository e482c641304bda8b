import { randomUUID } from 'node:crypto';
import type { Organisation } from '../access/access.schema.js';
import type { AuditEntry } from '../audit/audit.schema.js';
import { QUEUE_ORDER } from './case-lifecycle.js';
import type { UpcomingOccurrence } from '../meetings/meetings.service.js';
import { formatWhenShort } from '../schedule/format.js';
import {
  caseOutcomeLabels,
  caseRequestLabels,
  caseStatusLabels,
  caseUrgencyLabels,
  CASE_OUTCOMES,
  CASE_REQUESTS,
  type Case,
  type CaseEvent,
} from './cases.schema.js';
import type { Attendance, CarriedOver, QueuePlace } from './cases.service.js';

export interface Notice {
  readonly text: string;
  readonly isError: boolean;
}
const none: Notice = { text: '', isError: false };
export const PAGE_SIZE = 10;
/** The form's choice for "no preference": the next meeting in the channel. */
export const NEXT_MEETING = 'nasta';

type OrgNames = ReadonlyMap<string, string>;
export const orgNames = (organisations: readonly Organisation[]): OrgNames =>
  new Map(organisations.map((o) => [o.id, o.name]));
const orgName = (names: OrgNames, id: string) => names.get(id) ?? id;

/** "Referensgrupp · tis 8 dec. 09:00", with the samråd slot when there is one. */
export function meetingText(value: Case): string {
  if (!value.plan) return 'Inget möte ännu';
  const when = formatWhenShort(new Date(value.plan.startsAt));
  return `${value.plan.meetingName} · ${value.plan.slot ? `${value.plan.date} kl. ${value.plan.slot}` : when}`;
}

/** What every channel member may see of a case: code, status, organisation and meeting. */
function summaryRow(value: Case, names: OrgNames) {
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
  const moved = carried.filter((c) => c.to);
  const stuck = carried.filter((c) => !c.to);
  return [
    ...moved.map((c) => `${c.code} hann inte dras ${c.from} och är flyttat till mötet ${c.to}.`),
    ...stuck.map(
      (c) => `${c.code} hann inte dras ${c.from}, och det finns inget senare möte i serien.`,
    ),
  ].join(' ');
}

/** The channel's open queue, grouped by status, one page at a time. */
export function queueView(
  cases: readonly Case[],
  names: OrgNames,
  page: number,
  filterText: string,
  notice: Notice = none,
) {
  const pages = Math.max(1, Math.ceil(cases.length / PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const shown = cases.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const groups = QUEUE_ORDER.map((status) => ({
    label: caseStatusLabels[status],
    rows: shown.filter((c) => c.status === status).map((c) => summaryRow(c, names)),
  })).filter((g) => g.rows.length > 0);
  return {
    title: 'Ärendekö',
    subtitle: `${cases.length} ${cases.length === 1 ? 'öppet ärende' : 'öppna ärenden'}${filterText ? ` · ${filterText}` : ''}`,
    notice: notice.text,
    noticeIsError: notice.isError,
    empty: cases.length === 0,
    groups: groups.map((g) => ({ ...g, label: `${g.label} (${g.rows.length})` })),
    pageText: pages > 1 ? `Sida ${current} av ${pages}` : '',
    hasPrevious: current > 1,
    hasNext: current < pages,
    previousPage: current - 1,
    nextPage: current + 1,
    filter: filterText,
  };
}

export function waitingListView(places: readonly QueuePlace[], names: OrgNames, insats?: string) {
  return {
    title: insats ? `Kö till ${insats}` : 'Väntelistor',
    empty: places.length === 0,
    rows: places.map((p) => ({
      position: `${p.position}.`,
      code: p.value.code,
      insats: p.value.queue?.insats ?? '',
      organisation: orgName(names, p.value.organisationId),
      since: p.value.queue ? p.value.queue.since.slice(0, 10) : '',
    })),
  };
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

/** Everything about one case, for samordnare and the referring organisation only. */
export function detailView(value: Case, names: OrgNames, notice: Notice = none) {
  return {
    ...summaryRow(value, names),
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
    decisions: value.decisions.map((d) => ({
      title: `${caseOutcomeLabels[d.outcome]}${d.insats ? `: ${d.insats}` : ''}`,
      motivation: d.motivation,
      meta: `${d.decidedByName || 'Samordnare'} · ${formatWhenShort(new Date(d.at))}${
        d.referrerPresent ? '' : ' · anmälande organisation var inte närvarande'
      }`,
    })),
    history: value.history.map((e) => ({
      text: `${formatWhenShort(new Date(e.at))} · ${noteText[e.note]}${e.date ? ` ${e.date}` : ''} (${caseStatusLabels[e.to].toLowerCase()})`,
    })),
  };
}

/** The decision card: who is present, a warning when the referring organisation is absent. */
export function decisionView(
  value: Case,
  names: OrgNames,
  attendance: Attendance,
  notice: Notice = none,
) {
  const referrer = orgName(names, value.organisationId);
  const open = value.status === 'planerad' || value.status === 'dragen';
  const last = value.decisions.at(-1);
  return {
    ...summaryRow(value, names),
    notice: notice.text,
    noticeIsError: notice.isError,
    canDecide: open,
    presentText: attendance.recorded
      ? `Närvarande: ${attendance.present.map((id) => orgName(names, id)).join(', ') || 'ingen'}`
      : 'Närvaron är inte registrerad för mötet ännu.',
    warning:
      open && attendance.recorded && !attendance.referrerPresent
        ? `Varning: den anmälande organisationen (${referrer}) är inte närvarande.`
        : '',
    decided:
      last && !open
        ? `Beslut: ${caseOutcomeLabels[last.outcome]}${last.insats ? ` (${last.insats})` : ''}`
        : '',
    requestId: randomUUID(),
    insats: value.insats ?? '',
    outcomes: CASE_OUTCOMES.map((o) => ({ title: caseOutcomeLabels[o], value: o })),
  };
}

/** The submission form; the organisation comes from the submitter's role. */
/** The meeting card a form was opened from, to go back to; empty when opened by command. */
export interface BackToMeeting {
  readonly meetingId: string;
  readonly date: string;
}
export const NO_MEETING_CARD: BackToMeeting = { meetingId: '', date: '' };

export function formView(
  organisationName: string,
  upcoming: readonly UpcomingOccurrence[],
  values: Partial<Record<string, string>> = {},
  error = '',
  back: BackToMeeting = NO_MEETING_CARD,
) {
  const seen = new Set<string>();
  const meetings = upcoming
    .filter((o) => !seen.has(o.series.id) && seen.add(o.series.id))
    .map((o) => ({ title: `${o.series.name} (nästa ${o.planned.date})`, value: o.series.id }));
  return {
    organisation: organisationName,
    error,
    requestId: values.requestId ?? randomUUID(),
    reason: values.reason ?? '',
    request: values.request ?? 'insats',
    insats: values.insats ?? '',
    urgency: values.urgency ?? 'normal',
    preferredMeetingId: values.preferredMeetingId || NEXT_MEETING,
    requests: CASE_REQUESTS.map((r) => ({ title: caseRequestLabels[r], value: r })),
    meetings: [{ title: 'Nästa möte här', value: NEXT_MEETING }, ...meetings],
    back,
  };
}

export function submittedView(
  value: Case,
  names: OrgNames,
  created: boolean,
  back: BackToMeeting = NO_MEETING_CARD,
) {
  return {
    ...summaryRow(value, names),
    back,
    notice: created
      ? `Ärendet är anmält med koden ${value.code}. Använd bara koden när ni talar om ärendet.`
      : `Ärendet fanns redan med koden ${value.code}. Det anmäldes inte igen.`,
  };
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

export function logView(code: string, entries: readonly AuditEntry[], names: OrgNames) {
  return {
    code,
    empty: entries.length === 0,
    rows: [...entries]
      .sort((a, b) => a.at.localeCompare(b.at))
      .slice(-60)
      .map((e) => ({
        when: formatWhenShort(new Date(e.at)),
        what: actionText[e.action] ?? e.action,
        who:
          e.actorId === 'system'
            ? 'boten, automatiskt'
            : `${e.actorId}${e.actorOrganisationId ? ` (${orgName(names, e.actorOrganisationId)})` : ''}`,
      })),
  };
}

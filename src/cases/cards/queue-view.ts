import type { Principal } from '../../access/access.schema.js';
import { QUEUE_ORDER } from '../case-lifecycle.js';
import { caseStatusLabels, type CaseSummary } from '../cases.schema.js';
import type { CaseFilter } from '../use-cases/open-queue.js';
import type { WaitingLists } from '../use-cases/waiting-list.js';
import { nextSteps } from './case-buttons.js';
import { NO_NOTICE, orgName, summaryRow, type Notice, type OrgNames } from './case-text.js';

export const PAGE_SIZE = 10;
export const WAITING_PAGE_SIZE = 15;

/** The filter as the card carries it between pages (parsed values, never typed text). */
export const filterData = (filter: CaseFilter) => ({
  organisationId: filter.organisationId ?? '',
  status: filter.status ?? '',
  meetingDate: filter.meetingDate ?? '',
});

function filterText(filter: CaseFilter, names: OrgNames): string {
  return [
    filter.organisationId ? orgName(names, filter.organisationId) : '',
    filter.status ? caseStatusLabels[filter.status].toLowerCase() : '',
    filter.meetingDate ?? '',
  ]
    .filter(Boolean)
    .join(' · ');
}

function paging(total: number, page: number, size: number) {
  const pages = Math.max(1, Math.ceil(total / size));
  const current = Math.min(Math.max(1, page), pages);
  return {
    current,
    range: [(current - 1) * size, current * size] as const,
    view: {
      pageText: pages > 1 ? `Sida ${current} av ${pages}` : '',
      hasPrevious: current > 1,
      hasNext: current < pages,
      previousPage: current - 1,
      nextPage: current + 1,
    },
  };
}

/**
 * Who a card is rendered for: one person (`viewer`, with the buttons their rights allow) or the
 * channel (no viewer: what every member may see). `refreshUserIds` are the people whose Teams
 * asks for their own view of the card as soon as they see it.
 */
export interface SharedView {
  readonly refreshUserIds?: readonly string[];
}

const sharedFields = (viewer: Principal | undefined, shared: SharedView) => ({
  shared: viewer === undefined,
  refreshUserIds: [...(shared.refreshUserIds ?? [])],
});

/**
 * The channel's open queue, grouped by status, one page at a time; next-step buttons in a
 * viewer's own view only.
 */
export function queueView(
  cases: readonly CaseSummary[],
  names: OrgNames,
  viewer: Principal | undefined,
  page: number,
  filter: CaseFilter = {},
  notice: Notice = NO_NOTICE,
  shared: SharedView = {},
) {
  const { current, range, view } = paging(cases.length, page, PAGE_SIZE);
  const shown = cases.slice(...range);
  const groups = QUEUE_ORDER.map((status) => ({
    label: caseStatusLabels[status],
    rows: shown
      .filter((c) => c.status === status)
      .map((c) => ({ ...summaryRow(c, names), ...nextSteps(c, viewer) })),
  })).filter((g) => g.rows.length > 0);
  const described = filterText(filter, names);
  return {
    title: 'Ärendekö',
    subtitle: `${cases.length} ${cases.length === 1 ? 'öppet ärende' : 'öppna ärenden'}${described ? ` · ${described}` : ''}`,
    notice: notice.text,
    noticeIsError: notice.isError,
    empty: cases.length === 0,
    groups: groups.map((g) => ({ ...g, label: `${g.label} (${g.rows.length})` })),
    ...view,
    page: current,
    filter: filterData(filter),
    ...sharedFields(viewer, shared),
  };
}

/** The organisations of the cases on one page of the queue (whose representatives may see more). */
export function queuePageOrganisations(cases: readonly CaseSummary[], page: number): string[] {
  const { range } = paging(cases.length, page, PAGE_SIZE);
  return [...new Set(cases.slice(...range).map((c) => c.organisationId))];
}

/** The waiting lists (or one insats' list), positions per insats, a page at a time. */
export function waitingListView(
  lists: WaitingLists,
  names: OrgNames,
  viewer: Principal | undefined,
  page = 1,
  asked = false,
  shared: SharedView = {},
) {
  const { current, range, view } = paging(lists.places.length, page, WAITING_PAGE_SIZE);
  const title = lists.matched
    ? `Kö till ${lists.matched}`
    : asked
      ? 'Ingen står i kö till den insatsen'
      : 'Väntelistor';
  return {
    title,
    empty: lists.places.length === 0,
    emptyText:
      asked && lists.insatser.length > 0
        ? `Väntelistor finns för: ${lists.insatser.join(', ')}.`
        : 'Ingen står i kö.',
    rows: lists.places.slice(...range).map((p) => ({
      position: `${p.position}.`,
      code: p.value.code,
      insats: p.value.queue?.insats ?? '',
      organisation: orgName(names, p.value.organisationId),
      since: p.value.queue ? p.value.queue.since.slice(0, 10) : '',
      ...nextSteps(p.value, viewer),
    })),
    ...view,
    page: current,
    insats: lists.matched ?? '',
    ...sharedFields(viewer, shared),
  };
}

/** The organisations of the cases on one page of the waiting lists. */
export function waitingPageOrganisations(lists: WaitingLists, page: number): string[] {
  const { range } = paging(lists.places.length, page, WAITING_PAGE_SIZE);
  return [...new Set(lists.places.slice(...range).map((p) => p.value.organisationId))];
}

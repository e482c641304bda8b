import type { Principal } from '../../access/access.schema.js';
import { MAX_VIEWERS } from '../../access/audience.port.js';
import { renderCard, type CardJson } from '../../bot/card-renderer.js';
import { toLocal } from '../../schedule/local-time.js';
import { meetingTypeLabels } from '../meeting-types.js';
import type { AgendaItem, MeetingSeries, Occurrence } from '../meetings.schema.js';
import { deadlineOf, isCoordinator } from '../series/rules.js';
import type { SeriesState } from '../series/series-state.js';
import { stepsFor } from '../series/timetable.js';
import { pageOf, renderWithinBudget, truncate } from './card-budget.js';
import { renderMeetingCard } from './meeting-card-names.js';
import {
  activeMinutes,
  itemBadges,
  itemMeta,
  meetingHeader,
  noNotice,
  noticeFields,
  onAgenda,
  stepText,
  type Notice,
  type OrgNames,
} from './card-parts.js';
import { newId } from '../../ids.js';

/** Items per page of the agenda, before the budget shrinks it. */
const AGENDA_PAGE = 20;
/** Characters of an item's description shown in the list (all of it under Hantera). */
const DESCRIPTION_IN_LIST = 280;
/** Teams refreshes a card automatically for at most this many users. */
export const MAX_REFRESH_USERS = MAX_VIEWERS;

/** What an agenda card says once its meeting is over or off, so an old card is not misread. */
const stateNotices = {
  cancelled: refusedNotice(
    'Mötet är inställt. Punkterna är flyttade till nästa möte; öppna det med /möten.',
  ),
  closed: refusedNotice('Mötet är avslutat. Nya punkter läggs på nästa möte: /möte.'),
} as const;

function refusedNotice(text: string): Notice {
  return { text, isError: true };
}

/**
 * Who gets the kallelse refreshed into their own view when they look at it, chosen by role: the
 * samordnare (`coordinators`, who get the Hantera choices), the samordnare who created the
 * series, then the people who put items on this agenda (who may change their own), most recent
 * first; at most 60.
 */
export function refreshUserIds(
  series: Pick<MeetingSeries, 'createdBy'>,
  occurrence: Pick<Occurrence, 'items'>,
  coordinators: readonly string[] = [],
): string[] {
  const authors = [...occurrence.items]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((i) => i.authorId);
  return [...new Set([...coordinators, series.createdBy, ...authors])].slice(0, MAX_REFRESH_USERS);
}

export interface AgendaOptions {
  readonly notice?: Notice;
  /**
   * Whose view this is: their Hantera choices and next steps. Absent: the copy everyone in the
   * channel sees, with none of them and "Visa mina val".
   */
  readonly viewer?: Principal;
  /** The samordnare, first in the card's `refresh.userIds`. */
  readonly coordinators?: readonly string[];
  /** The first item shown (paging). */
  readonly start?: number;
}

/**
 * The kallelse: the agenda so far, page by page, with a form to add items and the samordnare's
 * next steps (dagordning, start).
 */
export function agendaCard(
  state: SeriesState,
  occurrence: Occurrence,
  names: OrgNames,
  options: AgendaOptions = {},
): CardJson {
  const { series } = state;
  const items = onAgenda(occurrence);
  const total = activeMinutes(items);
  let notice = options.notice ?? noNotice;
  if (notice.text === '' && occurrence.state !== 'planned') notice = stateNotices[occurrence.state];
  const deadline = stepsFor(series, new Date(occurrence.startsAt)).deadline;
  const requestId = newId();
  const { viewer } = options;
  const coordinator = viewer !== undefined && isCoordinator(viewer);
  const beforeDeadline = state.now <= deadline.at;
  const mayManage = (item: AgendaItem) =>
    viewer !== undefined &&
    (coordinator ||
      (item.authorId === viewer.userId && beforeDeadline && occurrence.state === 'planned'));
  const view = (size: number) => {
    const page = pageOf(items, options.start ?? 0, size);
    return {
      ...meetingHeader(series, occurrence),
      ...noticeFields(notice),
      shared: viewer === undefined,
      coordinator,
      refreshUserIds: refreshUserIds(series, occurrence, options.coordinators),
      kicker: `Kallelse · ${meetingTypeLabels[series.type]}`,
      deadline: stepText(deadline),
      countText: items.length === 1 ? '1 punkt' : `${items.length} punkter`,
      totalMinutes: total,
      durationMinutes: occurrence.durationMinutes,
      overtime: total > occurrence.durationMinutes,
      requestId,
      canAdd: occurrence.state === 'planned' && new Date(occurrence.startsAt) > state.now,
      pageText: page.pageText,
      prevStart: page.prevStart,
      nextStart: page.nextStart,
      items: page.shown.map((item, index) => ({
        id: item.id,
        number: page.start + index + 1,
        title: item.title,
        description: truncate(item.description, DESCRIPTION_IN_LIST),
        meta: itemMeta(item, names),
        badges: itemBadges(item),
        canManage: mayManage(item),
      })),
    };
  };
  return renderWithinBudget('agenda', view, AGENDA_PAGE, () =>
    renderCard('notice', {
      title: series.name,
      text: 'Dagordningen är för stor för att visas här. Öppna den med /möte.',
      tone: 'attention',
    }),
  );
}

/** One item with everything it says and the buttons the person looking at it may use. */
export function itemCard(
  state: SeriesState,
  occurrence: Occurrence,
  item: AgendaItem,
  actor: Principal,
  names: OrgNames,
  notice: Notice = noNotice,
) {
  const number = onAgenda(occurrence).findIndex((i) => i.id === item.id) + 1;
  const coordinator = isCoordinator(actor);
  const beforeDeadline = state.now <= deadlineOf(state, occurrence);
  const mine = item.authorId === actor.userId;
  const open =
    occurrence.state === 'planned' &&
    (item.status === 'active' || item.status === 'pendingApproval');
  return renderMeetingCard('agenda-manage', {
    ...meetingHeader(state.series, occurrence),
    ...noticeFields(notice),
    itemId: item.id,
    number: number > 0 ? number : 0,
    itemTitle: item.title,
    description: item.description,
    meta: itemMeta(item, names),
    badges: itemBadges(item),
    minutes: item.minutes,
    canEdit: open && (coordinator || (mine && beforeDeadline)),
    canWithdraw: open && (coordinator || (mine && beforeDeadline)),
    canApprove: open && coordinator && item.status === 'pendingApproval',
    canArrange: open && coordinator,
  });
}

export interface ItemFormValues {
  readonly title?: unknown;
  readonly description?: unknown;
  readonly category?: unknown;
  readonly presenter?: unknown;
  readonly minutes?: unknown;
}

const asText = (value: unknown, fallback = '') =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;

/**
 * The item form: `edit` filled in with what the item says, or `add` given back with what was
 * typed (after a refusal, with the notice on top).
 */
export function itemFormCard(
  series: MeetingSeries,
  occurrence: Occurrence,
  mode: { kind: 'add'; requestId: string } | { kind: 'edit'; itemId: string },
  values: ItemFormValues,
  notice = '',
) {
  return renderCard('agenda-item', {
    ...meetingHeader(series, occurrence),
    notice,
    adding: mode.kind === 'add',
    itemId: mode.kind === 'edit' ? mode.itemId : '',
    requestId: mode.kind === 'add' ? mode.requestId : '',
    values: {
      title: asText(values.title),
      description: asText(values.description),
      category: asText(values.category, 'fraga'),
      presenter: asText(values.presenter),
      minutes: Number.isInteger(Number(values.minutes)) ? Number(values.minutes) : 10,
    },
  });
}

/** The final agenda: numbered, with the start time of each item. */
export function dagordningCard(
  series: MeetingSeries,
  occurrence: Occurrence,
  names: OrgNames,
  notice: Notice = noNotice,
) {
  const items = onAgenda(occurrence).filter((i) => i.status === 'active');
  const total = activeMinutes(items);
  let at = new Date(occurrence.startsAt).getTime();
  const timed = items.map((item, index) => {
    const time = toLocal(new Date(at)).time;
    at += item.minutes * 60_000;
    return { number: index + 1, time, title: item.title, meta: itemMeta(item, names) };
  });
  return renderWithinBudget(
    'dagordning',
    (metaLength) => ({
      ...meetingHeader(series, occurrence),
      ...noticeFields(notice),
      overtime: total > occurrence.durationMinutes,
      items: timed.map((item) => ({ ...item, meta: truncate(item.meta, metaLength) })),
    }),
    200,
    () =>
      renderCard('notice', {
        title: series.name,
        text: 'Dagordningen är för stor för att visas här. Öppna den med /möte.',
        tone: 'attention',
      }),
  );
}

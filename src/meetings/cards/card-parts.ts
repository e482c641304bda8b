import type { Organisation } from '../../access/access.schema.js';
import { formatWhen } from '../../schedule/format.js';
import { itemCategoryLabels } from '../meeting-types.js';
import type { AgendaItem, MeetingSeries, Occurrence } from '../meetings.schema.js';
import { movedText, type Step } from '../series/timetable.js';

/** A line on a card confirming a change or saying why it was refused. */
export interface Notice {
  readonly text: string;
  readonly isError: boolean;
}
export const noNotice: Notice = { text: '', isError: false };
export const ok = (text: string): Notice => ({ text, isError: false });
export const refused = (text: string): Notice => ({ text, isError: true });

export type OrgNames = ReadonlyMap<string, string>;
export const orgNames = (organisations: readonly Organisation[]): OrgNames =>
  new Map(organisations.map((o) => [o.id, o.name]));

/** The top of every meeting card. */
export const meetingHeader = (series: MeetingSeries, occurrence: Occurrence) => ({
  meetingId: series.id,
  date: occurrence.date,
  title: series.name,
  when: formatWhen(new Date(occurrence.startsAt)),
  place: series.place || 'Meddelas senare',
});

export const noticeFields = (notice: Notice) => ({
  notice: notice.text,
  noticeIsError: notice.isError,
});

/** When a step happens, and why it is earlier than counted when it moved off a day off. */
export function stepText(step: Step): string {
  const when = formatWhen(step.at);
  return step.movedBecause ? `${when}, ${movedText(step)}` : when;
}

export function itemMeta(item: AgendaItem, names: OrgNames): string {
  const org = item.organisationId ? (names.get(item.organisationId) ?? item.organisationId) : '';
  return [itemCategoryLabels[item.category], item.presenter, org, `${item.minutes} min`]
    .filter((part) => part !== '')
    .join(' · ');
}

export function itemBadges(item: AgendaItem): string {
  return [
    item.status === 'pendingApproval' ? 'Sen punkt – väntar på samordnarens godkännande' : '',
    item.carriedOverFrom ? `Flyttad från mötet ${item.carriedOverFrom}` : '',
  ]
    .filter((badge) => badge !== '')
    .join(' · ');
}

/** Items on the agenda in order (withdrawn and deferred ones left out). */
export const onAgenda = (occurrence: Occurrence) =>
  occurrence.items.filter((i) => i.status === 'active' || i.status === 'pendingApproval');

export const activeMinutes = (items: readonly AgendaItem[]) =>
  items.filter((i) => i.status === 'active').reduce((sum, i) => sum + i.minutes, 0);

import type { Organisation } from '../../access/access.schema.js';
import { renderCard, type CardJson } from '../../bot/card-renderer.js';
import { formatWhenShort } from '../../schedule/format.js';
import { defaultDurationMinutes, defaultOffsets, meetingTypeLabels } from '../meeting-types.js';
import { meetingTypeSchema, type ActionItem, type MeetingType } from '../meetings.schema.js';
import type { UpcomingOccurrence } from '../meetings.service.js';
import { pageOf, renderWithinBudget, truncate } from './card-budget.js';
import { noNotice, noticeFields, type Notice } from './card-parts.js';
import { newId } from '../../ids.js';

const LIST_PAGE = 12;
/** Later meetings offered as a target when one is cancelled. */
const MOVE_CHOICES = 6;

/** Upcoming meetings here, soonest first, with Öppna, Flytta and Ställ in. */
export function meetingListCard(
  list: readonly UpcomingOccurrence[],
  notice: Notice = noNotice,
  start = 0,
): CardJson {
  const entries = list.map(({ series, planned }) => ({
    moveChoices: list
      .filter(
        (later) =>
          later.series.id === series.id &&
          later.planned.start > planned.start &&
          later.planned.status !== 'cancelled',
      )
      .slice(0, MOVE_CHOICES)
      .map((later) => ({ title: formatWhenShort(later.planned.start), value: later.planned.key })),
    meetingId: series.id,
    date: planned.key,
    title: series.name,
    typeLabel: meetingTypeLabels[series.type],
    when: formatWhenShort(planned.start),
    cancelled: planned.status === 'cancelled',
    statusText:
      planned.status === 'cancelled'
        ? 'Inställt'
        : planned.status === 'moved' || planned.key !== planned.date
          ? `Flyttat från ${planned.key}${planned.reason && planned.reason !== 'flyttat' ? ` (${planned.reason})` : ''}`
          : '',
  }));
  return renderWithinBudget(
    'meetings',
    (size) => {
      const page = pageOf(entries, start, size);
      return {
        ...noticeFields(notice),
        items: page.shown,
        pageText: page.pageText,
        prevStart: page.prevStart,
        nextStart: page.nextStart,
      };
    },
    LIST_PAGE,
    () =>
      renderCard('notice', {
        title: 'Kommande möten',
        text: 'Listan är för lång för att visas. Skriv /möte för nästa möte.',
        tone: 'attention',
      }),
  );
}

const ACTIONS_PAGE = 20;

export function actionItemsCard(
  heading: string,
  items: readonly ActionItem[],
  today: string,
  notice: Notice = noNotice,
  start = 0,
): CardJson {
  const sorted = [...items].sort(
    (a, b) => a.dueDate.localeCompare(b.dueDate) || a.createdAt.localeCompare(b.createdAt),
  );
  return renderWithinBudget(
    'action-items',
    (size) => {
      const page = pageOf(sorted, start, size);
      return {
        heading,
        ...noticeFields(notice),
        pageText: page.pageText,
        prevStart: page.prevStart,
        nextStart: page.nextStart,
        items: page.shown.map((a) => ({
          id: a.id,
          meetingId: a.meetingId,
          date: a.date,
          conversationId: a.conversationId,
          what: a.what,
          owner: a.ownerName,
          due: a.dueDate,
          source: `från ${truncate(a.itemTitle, 80)}`,
          overdue: a.dueDate < today,
        })),
      };
    },
    ACTIONS_PAGE,
    () =>
      renderCard('notice', {
        title: heading,
        text: 'Listan är för lång för att visas.',
        tone: 'attention',
      }),
  );
}

export interface MeetingFormValues {
  readonly [field: string]: unknown;
}

const FORM_FIELDS = [
  'name',
  'recurrence',
  'nth',
  'weekday',
  'intervalWeeks',
  'dates',
  'startDate',
  'time',
  'duration',
  'place',
  'organisations',
  'holidayPolicy',
  'summerBreak',
  'stepDays',
  'callDays',
  'deadlineDays',
  'agendaDays',
] as const;

/** The meeting form, empty or given back with what was typed and the reason it was refused. */
export function meetingFormCard(
  organisations: readonly Organisation[],
  values: MeetingFormValues = {},
  notice = '',
): CardJson {
  const known = meetingTypeSchema.safeParse(values.type);
  const type: MeetingType = known.success ? known.data : 'referensgrupp';
  const offsets = defaultOffsets[type];
  const typed = Object.fromEntries(
    FORM_FIELDS.filter((field) => typeof values[field] === 'string').map((field) => [
      field,
      values[field] as string,
    ]),
  );
  return renderCard('meeting-form', {
    notice,
    requestId: newId(),
    defaultsText: `kallelse ${offsets.callDays}, sista dag ${offsets.deadlineDays}, dagordning ${offsets.agendaDays}`,
    organisationChoices: organisations.map((o) => ({ title: o.name, value: o.id })),
    values: {
      name: '',
      recurrence: 'monthly',
      nth: '2',
      weekday: '2',
      intervalWeeks: '1',
      dates: '',
      startDate: '',
      time: '09:00',
      duration: String(defaultDurationMinutes[type]),
      place: '',
      organisations: '',
      holidayPolicy: 'nextWorkday',
      summerBreak: 'true',
      stepDays: 'previousWorkday',
      callDays: '',
      deadlineDays: '',
      agendaDays: '',
      ...typed,
      type,
    },
  });
}

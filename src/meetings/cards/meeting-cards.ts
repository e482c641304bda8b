import type { Member, Organisation } from '../../access/access.schema.js';
import { MAX_VIEWERS } from '../../access/audience.port.js';
import { renderCard, type CardJson } from '../../bot/card-renderer.js';
import { formatWhenShort } from '../../schedule/format.js';
import type { Decision, MeetingSeries, Occurrence } from '../meetings.schema.js';
import { pageOf, renderWithinBudget, truncate } from './card-budget.js';
import { renderMeetingCard } from './meeting-card-names.js';
import {
  meetingHeader,
  noNotice,
  noticeFields,
  onAgenda,
  orgNames,
  type Notice,
  type OrgNames,
} from './card-parts.js';
import { newId } from '../../ids.js';

/** Items per page of the running-meeting card, before the budget shrinks it. */
const RUN_PAGE = 20;
const NOTES_IN_LIST = 240;
const DECISION_IN_LIST = 240;
const DECISIONS_IN_LIST = 3;

export function attendanceTexts(series: MeetingSeries, occurrence: Occurrence, names: OrgNames) {
  if (!occurrence.attendance) return { attendanceText: 'Inte registrerad ännu.', absentText: '' };
  const present = occurrence.attendance.map((id) => names.get(id) ?? id);
  const absent = series.organisations
    .filter((id) => !occurrence.attendance!.includes(id))
    .map((id) => names.get(id) ?? id);
  return {
    attendanceText: present.length > 0 ? present.join(', ') : 'Ingen organisation registrerad.',
    absentText: absent.length > 0 ? `Saknas: ${absent.join(', ')}` : '',
  };
}

/** Decisions as they stand: a corrected decision shows its correction instead. */
export function currentDecisions(decisions: readonly Decision[]): Decision[] {
  const corrected = new Set(decisions.map((d) => d.corrects).filter(Boolean));
  return decisions.filter((d) => !corrected.has(d.id));
}

export const byline = (d: Decision) =>
  `${d.corrects ? 'Rättat' : 'Beslutat'} av ${d.decidedByName || d.decidedBy}, ${formatWhenShort(new Date(d.at))}`;

/** Who a running-meeting card is for. */
export interface RunView {
  /**
   * The samordnare's own view, with attendance, notes and closing. False: the copy everyone in
   * the channel sees (the agenda, notes and decisions so far) with "Visa mina val".
   */
  readonly controls: boolean;
  /** The samordnare, in the card's `refresh.userIds`. */
  readonly coordinators: readonly string[];
}

/**
 * The card during the meeting: attendance, and per item its notes and decisions; the controls
 * only in the samordnare's own view.
 */
export function meetingRunCard(
  series: MeetingSeries,
  occurrence: Occurrence,
  organisations: readonly Organisation[],
  notice: Notice = noNotice,
  start = 0,
  view: RunView = { controls: true, coordinators: [] },
): CardJson {
  const names = orgNames(organisations);
  const current = currentDecisions(occurrence.decisions);
  const items = onAgenda(occurrence).filter((i) => i.status === 'active');
  return renderWithinBudget(
    'meeting-run',
    (size) => {
      const page = pageOf(items, start, size);
      return {
        ...meetingHeader(series, occurrence),
        ...noticeFields(notice),
        controls: view.controls,
        shared: !view.controls,
        refreshUserIds: [...new Set([...view.coordinators, series.createdBy])].slice(
          0,
          MAX_VIEWERS,
        ),
        ...attendanceTexts(series, occurrence, names),
        attendanceValue: (occurrence.attendance ?? series.organisations).join(','),
        organisationChoices: organisations.map((o) => ({ title: o.name, value: o.id })),
        pageText: page.pageText,
        prevStart: page.prevStart,
        nextStart: page.nextStart,
        items: page.shown.map((item, index) => {
          const decided = current.filter((d) => d.itemId === item.id);
          return {
            id: item.id,
            number: page.start + index + 1,
            title: item.title,
            statusText: item.handled ? 'Behandlad' : 'Inte behandlad ännu',
            notes: truncate(item.notes ?? '', NOTES_IN_LIST),
            decisions: decided.slice(0, DECISIONS_IN_LIST).map((d) => ({
              text: truncate(d.text, DECISION_IN_LIST),
              byline: byline(d),
            })),
            moreDecisions:
              decided.length > DECISIONS_IN_LIST
                ? `och ${decided.length - DECISIONS_IN_LIST} beslut till (se Anteckna)`
                : '',
          };
        }),
      };
    },
    RUN_PAGE,
    () => tooLarge(series),
  );
}

export interface RecordFormValues {
  readonly notes?: unknown;
  readonly decision?: unknown;
  readonly actionWhat?: unknown;
  readonly actionOwner?: unknown;
  readonly actionDue?: unknown;
}

const asText = (value: unknown) => (typeof value === 'string' ? value : '');

/** The form for one item during the meeting: notes, a decision and an action item. */
export function recordFormCard(
  series: MeetingSeries,
  occurrence: Occurrence,
  itemId: string,
  people: readonly Member[],
  values: RecordFormValues,
  notice = '',
): CardJson {
  const item = occurrence.items.find((i) => i.id === itemId);
  const decided = currentDecisions(occurrence.decisions).filter((d) => d.itemId === itemId);
  return renderMeetingCard('meeting-record', {
    ...meetingHeader(series, occurrence),
    notice,
    itemId,
    itemTitle: item?.title ?? '',
    requestId: newId(),
    decisions: decided.map((d) => ({ text: d.text, byline: byline(d) })),
    people: people.map((p) => ({ title: p.displayName ?? p.id, value: p.id })),
    values: {
      notes: asText(values.notes ?? item?.notes),
      decision: asText(values.decision),
      actionWhat: asText(values.actionWhat),
      actionOwner: asText(values.actionOwner),
      actionDue: asText(values.actionDue),
    },
  });
}

export function tooLarge(series: MeetingSeries): CardJson {
  return renderCard('notice', {
    title: series.name,
    text: 'Mötet har för mycket innehåll för att visas på ett kort. Öppna punkterna en och en med /möte protokoll.',
    tone: 'attention',
  });
}

/**
 * Asks the samordnare to close the meeting once it ended in Teams: the channel's copy says the
 * samordnare will; the samordnare's own view closes and sends the minutes in one click.
 */
export function meetingEndedCard(
  series: MeetingSeries,
  occurrence: Occurrence,
  view: RunView,
  notice: Notice = noNotice,
): CardJson {
  const closed = occurrence.state === 'closed';
  const text = closed
    ? 'Mötet är avslutat och minnesanteckningarna är skickade.'
    : view.controls
      ? 'Mötet i Teams har avslutats. Avsluta mötet här, så skickas minnesanteckningarna till kanalen.'
      : 'Samordnaren avslutar mötet och skickar minnesanteckningarna.';
  return renderMeetingCard('meeting-ended', {
    ...meetingHeader(series, occurrence),
    ...noticeFields(notice),
    text,
    shared: !view.controls,
    canClose: view.controls && !closed && occurrence.state !== 'cancelled',
    closed,
    refreshUserIds: [...new Set([...view.coordinators, series.createdBy])].slice(0, MAX_VIEWERS),
  });
}

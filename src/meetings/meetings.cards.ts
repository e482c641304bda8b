import { randomUUID } from 'node:crypto';
import type { Member, Organisation } from '../access/access.schema.js';
import { formatWhen, formatWhenShort } from '../schedule/format.js';
import { toLocal } from '../schedule/local-time.js';
import { agendaOrder, type UpcomingOccurrence } from './meetings.service.js';
import {
  defaultDurationMinutes,
  defaultOffsets,
  itemCategoryLabels,
  meetingTypeLabels,
} from './meeting-types.js';
import { meetingTypeSchema } from './meetings.schema.js';
import type {
  ActionItem,
  AgendaItem,
  Decision,
  MeetingSeries,
  MeetingType,
  Occurrence,
} from './meetings.schema.js';

export interface Notice {
  readonly text: string;
  readonly isError: boolean;
}
const none: Notice = { text: '', isError: false };

type OrgNames = ReadonlyMap<string, string>;
export const orgNames = (organisations: readonly Organisation[]): OrgNames =>
  new Map(organisations.map((o) => [o.id, o.name]));

const header = (series: MeetingSeries, occurrence: Occurrence) => ({
  meetingId: series.id,
  date: occurrence.date,
  title: series.name,
  when: formatWhen(new Date(occurrence.startsAt)),
  place: series.place || 'Meddelas senare',
});

/** Items on the agenda in order (withdrawn and deferred ones left out). */
export function onAgenda(occurrence: Occurrence): AgendaItem[] {
  return agendaOrder(occurrence.items).filter(
    (i) => i.status === 'active' || i.status === 'pendingApproval',
  );
}

const totalMinutes = (items: readonly AgendaItem[]) =>
  items.filter((i) => i.status === 'active').reduce((sum, i) => sum + i.minutes, 0);

function itemMeta(item: AgendaItem, names: OrgNames): string {
  const org = item.organisationId ? (names.get(item.organisationId) ?? item.organisationId) : '';
  return [itemCategoryLabels[item.category], item.presenter, org, `${item.minutes} min`]
    .filter((part) => part !== '')
    .join(' · ');
}

function badges(item: AgendaItem): string {
  return [
    item.status === 'pendingApproval' ? 'Sen punkt – väntar på samordnarens godkännande' : '',
    item.carriedOverFrom ? `Flyttad från mötet ${item.carriedOverFrom}` : '',
  ]
    .filter((b) => b !== '')
    .join(' · ');
}

/** What an agenda card says once its meeting is over or off, so an old card is not misread. */
const stateNotices = {
  cancelled: {
    text: 'Mötet är inställt. Punkterna är flyttade till nästa möte; öppna det med /möten.',
    isError: true,
  },
  closed: { text: 'Mötet är avslutat. Nya punkter läggs på nästa möte: /möte.', isError: true },
} as const satisfies Record<string, Notice>;

/** Teams refreshes a card automatically for at most this many users. */
export const MAX_REFRESH_USERS = 60;

/**
 * Who gets the agenda card refreshed when they look at it: the samordnare who created the
 * series, then the people who put items on this agenda, most recent first.
 */
export function refreshUserIds(series: MeetingSeries, occurrence: Occurrence): string[] {
  const authors = [...occurrence.items]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((i) => i.authorId);
  return [...new Set([series.createdBy, ...authors])].slice(0, MAX_REFRESH_USERS);
}

/**
 * The kallelse: the agenda so far, with a form to add items. `shared` is the copy everyone
 * sees in the channel, which refreshes itself; an answer to one person's click is not.
 */
export function agendaView(
  series: MeetingSeries,
  occurrence: Occurrence,
  deadline: Date,
  names: OrgNames,
  notice: Notice = none,
  shared = false,
) {
  const items = onAgenda(occurrence);
  const total = totalMinutes(items);
  if (notice.text === '' && occurrence.state !== 'planned') notice = stateNotices[occurrence.state];
  return {
    ...header(series, occurrence),
    refreshUserIds: shared ? refreshUserIds(series, occurrence) : [],
    kicker: `Kallelse · ${meetingTypeLabels[series.type]}`,
    deadline: formatWhen(deadline),
    notice: notice.text,
    noticeIsError: notice.isError,
    countText: items.length === 1 ? '1 punkt' : `${items.length} punkter`,
    totalMinutes: total,
    durationMinutes: occurrence.durationMinutes,
    overtime: total > occurrence.durationMinutes,
    requestId: randomUUID(),
    items: items.map((item, index) => ({
      id: item.id,
      number: index + 1,
      title: item.title,
      description: item.description,
      meta: itemMeta(item, names),
      badges: badges(item),
      minutes: item.minutes,
      defaultAction: item.status === 'pendingApproval' ? 'approve' : 'up',
    })),
  };
}

/** The form that changes one agenda item, filled in with what it says now. */
export function agendaItemFormView(
  series: MeetingSeries,
  occurrence: Occurrence,
  item: Pick<AgendaItem, 'id' | 'title' | 'description' | 'category' | 'presenter' | 'minutes'>,
  notice = '',
) {
  return {
    ...header(series, occurrence),
    itemId: item.id,
    notice,
    values: {
      title: item.title,
      description: item.description,
      category: item.category,
      presenter: item.presenter,
      minutes: item.minutes,
    },
  };
}

/** The final agenda: numbered, with the start time of each item. */
export function dagordningView(
  series: MeetingSeries,
  occurrence: Occurrence,
  names: OrgNames,
  notice: Notice = none,
) {
  const items = onAgenda(occurrence).filter((i) => i.status === 'active');
  let at = new Date(occurrence.startsAt).getTime();
  const total = totalMinutes(items);
  return {
    ...header(series, occurrence),
    notice: notice.text,
    noticeIsError: notice.isError,
    overtime: total > occurrence.durationMinutes,
    items: items.map((item, index) => {
      const time = toLocal(new Date(at)).time;
      at += item.minutes * 60_000;
      return {
        number: index + 1,
        time,
        title: item.title,
        meta: itemMeta(item, names),
      };
    }),
  };
}

function attendanceTexts(series: MeetingSeries, occurrence: Occurrence, names: OrgNames) {
  if (!occurrence.attendance) {
    return { attendanceText: 'Inte registrerad ännu.', absentText: '' };
  }
  const present = occurrence.attendance.map((id) => names.get(id) ?? id);
  const absent = series.organisations
    .filter((id) => !occurrence.attendance!.includes(id))
    .map((id) => names.get(id) ?? id);
  return {
    attendanceText: present.length > 0 ? present.join(', ') : 'Ingen organisation registrerad.',
    absentText: absent.length > 0 ? `Saknas: ${absent.join(', ')}` : '',
  };
}

/** The samordnare's card during the meeting: attendance, notes, decisions, action items. */
export function meetingRunView(
  series: MeetingSeries,
  occurrence: Occurrence,
  decisions: readonly Decision[],
  organisations: readonly Organisation[],
  people: readonly Member[],
  notice: Notice = none,
) {
  const names = orgNames(organisations);
  const current = currentDecisions(decisions);
  return {
    ...header(series, occurrence),
    notice: notice.text,
    noticeIsError: notice.isError,
    ...attendanceTexts(series, occurrence, names),
    attendanceValue: (occurrence.attendance ?? series.organisations).join(','),
    organisationChoices: organisations.map((o) => ({ title: o.name, value: o.id })),
    people: people.map((p) => ({ title: p.displayName ?? p.id, value: p.id })),
    items: onAgenda(occurrence)
      .filter((i) => i.status === 'active')
      .map((item, index) => ({
        id: item.id,
        number: index + 1,
        title: item.title,
        statusText: item.handled ? 'Behandlad' : 'Inte behandlad ännu',
        notes: item.notes ?? '',
        decisions: current
          .filter((d) => d.itemId === item.id)
          .map((d) => ({ text: d.text, byline: byline(d) })),
        requestId: randomUUID(),
      })),
  };
}

/** Decisions as they stand: a corrected decision shows its correction instead. */
function currentDecisions(decisions: readonly Decision[]): Decision[] {
  const corrected = new Set(decisions.map((d) => d.corrects).filter(Boolean));
  return decisions.filter((d) => !corrected.has(d.id));
}

const byline = (d: Decision) =>
  `${d.corrects ? 'Rättat' : 'Beslutat'} av ${d.decidedByName || d.decidedBy}, ${formatWhenShort(new Date(d.at))}`;

/** The minnesanteckningar posted when the meeting is closed. */
export function minutesView(
  series: MeetingSeries,
  occurrence: Occurrence,
  decisions: readonly Decision[],
  actionItems: readonly ActionItem[],
  names: OrgNames,
  closedByName: string,
  notice: Notice = none,
) {
  const handledOrder = agendaOrder(occurrence.items).filter(
    (i) => i.status === 'active' && i.handled,
  );
  return {
    ...header(series, occurrence),
    notice: notice.text,
    noticeIsError: notice.isError,
    attendanceText: attendanceTexts(series, occurrence, names).attendanceText,
    closedText: occurrence.closedAt
      ? `${closedByName}, ${formatWhenShort(new Date(occurrence.closedAt))}`
      : '–',
    items: handledOrder.map((item, index) => ({
      number: index + 1,
      title: item.title,
      notes: item.notes ?? '',
      decisions: decisions
        .filter((d) => d.itemId === item.id)
        .map((d) => ({
          id: d.id,
          label: d.corrects ? 'Rättelse' : 'Beslut',
          text: d.text,
          byline: byline(d),
          canCorrect: !decisions.some((other) => other.corrects === d.id),
          requestId: randomUUID(),
        })),
    })),
    actionItems: actionItems.map((a) => ({ what: a.what, owner: a.ownerName, due: a.dueDate })),
    carriedOver: occurrence.items
      .filter((i) => i.status === 'deferred')
      .map((i) => ({ title: i.title })),
  };
}

/** The minutes as Markdown, for the samordnare to send on by e-mail or paste into a document. */
export function minutesMarkdown(view: ReturnType<typeof minutesView>): string {
  const lines = [
    `# Minnesanteckningar: ${view.title}`,
    '',
    `- **När:** ${view.when}`,
    `- **Var:** ${view.place}`,
    `- **Närvarande:** ${view.attendanceText}`,
    '',
    '## Punkter',
  ];
  for (const item of view.items) {
    lines.push('', `### § ${item.number} ${item.title}`);
    if (item.notes) lines.push('', item.notes);
    for (const d of item.decisions) lines.push('', `**${d.label}:** ${d.text}  `, `_${d.byline}_`);
  }
  if (view.actionItems.length > 0) {
    lines.push('', '## Uppgifter', '');
    for (const a of view.actionItems) lines.push(`- ${a.what} – ${a.owner}, klar senast ${a.due}`);
  }
  if (view.carriedOver.length > 0) {
    lines.push('', '## Flyttas till nästa möte', '');
    for (const c of view.carriedOver) lines.push(`- ${c.title}`);
  }
  return lines.join('\n').normalize('NFC');
}

export function meetingListView(list: readonly UpcomingOccurrence[], notice: Notice = none) {
  return {
    notice: notice.text,
    noticeIsError: notice.isError,
    items: list.map(({ series, planned }) => ({
      moveChoices: list
        .filter(
          (later) =>
            later.series.id === series.id &&
            later.planned.start > planned.start &&
            later.planned.status !== 'cancelled',
        )
        .map((later) => ({
          title: formatWhenShort(later.planned.start),
          value: later.planned.key,
        })),
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
    })),
  };
}

export interface MeetingFormValues {
  type: MeetingType;
  name: string;
  recurrence: 'monthly' | 'weekly' | 'dates';
  nth: string;
  weekday: string;
  intervalWeeks: string;
  dates: string;
  startDate: string;
  time: string;
  duration: string;
  place: string;
  organisations: string;
  holidayPolicy: string;
  summerBreak: string;
  callDays: string;
  deadlineDays: string;
  agendaDays: string;
}

export function meetingFormView(
  organisations: readonly Organisation[],
  values: Partial<MeetingFormValues> = {},
  notice = '',
) {
  const known = meetingTypeSchema.safeParse(values.type);
  const type: MeetingType = known.success ? known.data : 'referensgrupp';
  const offsets = defaultOffsets[type];
  return {
    notice,
    requestId: randomUUID(),
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
      callDays: '',
      deadlineDays: '',
      agendaDays: '',
      ...values,
      type,
    },
  };
}

export function actionItemsView(
  heading: string,
  items: readonly ActionItem[],
  today: string,
  notice: Notice = none,
) {
  return {
    heading,
    notice: notice.text,
    noticeIsError: notice.isError,
    items: items.map((a) => ({
      id: a.id,
      conversationId: a.conversationId,
      what: a.what,
      owner: a.ownerName,
      due: a.dueDate,
      source: `från ${a.itemTitle}`,
      overdue: a.dueDate < today,
    })),
  };
}

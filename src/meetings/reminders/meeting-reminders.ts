import type { ReminderKind } from '../../reminders/reminders.schema.js';
import type { ScheduleInput } from '../../reminders/reminders.port.js';
import { truncate } from '../cards/card-budget.js';
import type { ActionItem, MeetingSeries } from '../meetings.schema.js';
import { cardKeyOf } from '../posting/channel-cards.js';
import type { SeriesState } from '../series/series-state.js';
import { toInstant } from '../../schedule/local-time.js';
import {
  actionReminderStep,
  movedText,
  STEP_TIME,
  stepsFor,
  type Step,
} from '../series/timetable.js';

/** The reminder engine, as far as meetings need it. */
export interface MeetingReminderPort {
  /**
   * Idempotent: the same id and due time again changes nothing. A time that has passed, with
   * `catchUpUntil` still ahead, is caught up: the reminder is due at once (`caughtUp`).
   */
  schedule(
    input: ScheduleInput,
  ): Promise<{ readonly reminder: { readonly dueAt: string }; readonly caughtUp: boolean }>;
  /** Withdraws a reminder still waiting; false when there was none (or it went out). */
  cancelPlanned(ref: { id: string; dueAt: string }): Promise<boolean>;
}

/** Reminder ids are derived, never stored: the same meeting always has the same ids. */
export const reminderIdOf = (meetingId: string, date: string, kind: ReminderKind) =>
  `mtg.${meetingId}.${date}.${kind}`;

export const actionReminderIdOf = (action: Pick<ActionItem, 'meetingId' | 'date' | 'id'>) =>
  `task.${action.meetingId}.${action.date}.${action.id}`;

/** A reminder's title may hold 200 characters. */
const TITLE_MAX = 200;

const movedNote = (step: Step) => (step.movedBecause ? ` (${movedText(step)})` : '');

/** The three reminders before one meeting: kallelse, the item deadline, the dagordning. */
export function stepReminders(series: MeetingSeries, key: string, startsAt: Date) {
  const steps = stepsFor(series, startsAt);
  return [
    {
      kind: 'kallelse' as const,
      dueAt: steps.kallelse.at,
      text: `Kallelse: lägg till punkter på dagordningen.${movedNote(steps.kallelse)}`,
      cardKey: cardKeyOf('kallelse', series.id, key),
    },
    {
      kind: 'agendaDeadline' as const,
      // The morning of the deadline day: the deadline itself is at 12:00.
      dueAt: toInstant(steps.deadline.date, STEP_TIME),
      text: `Sista dag för punkter är i dag kl. 12:00.${movedNote(steps.deadline)}`,
      cardKey: `deadline.${series.id}.${key}`,
    },
    {
      kind: 'finalAgenda' as const,
      dueAt: steps.dagordning.at,
      text: `Dagordningen är klar.${movedNote(steps.dagordning)}`,
      cardKey: cardKeyOf('dagordning', series.id, key),
    },
  ].map((step) => ({ ...step, id: reminderIdOf(series.id, key, step.kind) }));
}

/** Plans the reminders of one meeting that are still ahead (idempotent). */
export async function planMeeting(
  port: MeetingReminderPort,
  series: MeetingSeries,
  key: string,
  startsAt: Date,
  now: Date,
): Promise<number> {
  let planned = 0;
  for (const step of stepReminders(series, key, startsAt)) {
    if (step.dueAt <= now) continue;
    await port.schedule({
      ...step,
      conversationId: series.conversationId,
      title: series.name,
      ownerId: series.createdBy,
      createdBy: series.createdBy,
    });
    planned++;
  }
  return planned;
}

/** Withdraws the reminders a meeting had while it started at `startsAt`. */
export async function cancelMeeting(
  port: MeetingReminderPort,
  series: MeetingSeries,
  key: string,
  startsAt: Date,
): Promise<void> {
  for (const step of stepReminders(series, key, startsAt)) {
    await port.cancelPlanned({ id: step.id, dueAt: step.dueAt.toISOString() });
  }
}

/** Plans the reminders of every open meeting of a series still ahead. */
export async function planSeries(
  port: MeetingReminderPort,
  state: SeriesState,
  until?: string,
): Promise<number> {
  let planned = 0;
  for (const occurrence of state.upcoming()) {
    if (until && occurrence.date > until) break;
    const open =
      (occurrence.status === 'planned' || occurrence.status === 'moved') &&
      (state.header(occurrence.key)?.value.state ?? 'planned') === 'planned';
    if (!open) continue;
    planned += await planMeeting(port, state.series, occurrence.key, occurrence.start, state.now);
  }
  return planned;
}

/**
 * An action item's reminder: 09:00 the working day before it is due, in the owner's personal
 * chat with the bot (or the meeting's channel when there is none). The title is the task, cut
 * to what a reminder title holds; the whole task is then in the text.
 */
export function actionReminder(
  series: Pick<MeetingSeries, 'name' | 'stepDays' | 'conversationId'>,
  action: ActionItem,
  personalConversationId: string | undefined,
): ScheduleInput {
  const step = actionReminderStep(series.stepDays, action.dueDate);
  const about =
    `Uppgift från ${series.name}, ska vara klar ${action.dueDate}. Ansvarig: ${action.ownerName}.` +
    movedNote(step);
  return {
    id: actionReminderIdOf(action),
    kind: 'actionItemDue',
    conversationId: personalConversationId ?? series.conversationId,
    dueAt: step.at,
    title: truncate(action.what, TITLE_MAX),
    text: action.what.length > TITLE_MAX ? `${action.what}\n\n${about}` : about,
    ownerId: action.ownerId,
    createdBy: action.createdBy,
  };
}

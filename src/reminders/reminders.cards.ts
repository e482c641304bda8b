import { formatWhen, formatWhenShort } from '../schedule/format.js';
import { reminderKindLabels, reminderStateLabels } from './reminder-kinds.js';
import type { Reminder } from './reminders.schema.js';

/** The card a reminder is posted as; `note` marks a later change, e.g. a passed deadline. */
export function reminderView(reminder: Reminder, note = '') {
  return {
    kindLabel: reminderKindLabels[reminder.kind],
    title: reminder.title,
    text: reminder.text,
    when: `Planerad ${formatWhen(new Date(reminder.plannedFor ?? reminder.dueAt))}`,
    note,
  };
}

export function reminderListView(
  reminders: readonly Reminder[],
  canManage: boolean,
  notice: { text: string; isError: boolean } = { text: '', isError: false },
) {
  return {
    notice: notice.text,
    noticeIsError: notice.isError,
    items: reminders.map((reminder) => ({
      id: reminder.id,
      dueAt: reminder.dueAt,
      title: reminder.title,
      kindLabel: reminderKindLabels[reminder.kind],
      when: formatWhenShort(new Date(reminder.dueAt)),
      stateLabel: reminderStateLabels[reminder.state],
      canManage,
      canPause: reminder.state === 'scheduled',
      canResume: reminder.state === 'paused',
      canSendNow: reminder.state === 'scheduled' || reminder.state === 'paused',
    })),
  };
}

import type { AccessService } from '../access/access.service.js';
import { renderCard, type CardJson } from '../bot/card-renderer.js';
import type { Reminder } from '../reminders/reminders.schema.js';
import { agendaView, dagordningView, orgNames } from './meetings.cards.js';
import type { MeetingService } from './meetings.service.js';

const meetingReminder = /^mtg\.([a-z0-9-]+)\.(\d{4}-\d{2}-\d{2})\.(kallelse|finalAgenda)$/;

/**
 * The card a meeting reminder is posted as, built when it is sent so it shows the agenda as it
 * stands then: the kallelse is the live agenda with its form, the final agenda is the
 * dagordning. Other reminders keep the generic reminder card (undefined).
 */
export function meetingReminderCards(meetings: MeetingService, access: AccessService) {
  return async (reminder: Reminder): Promise<CardJson | undefined> => {
    const match = meetingReminder.exec(reminder.id);
    if (!match) return undefined;
    const [, meetingId, date, step] = match as unknown as [string, string, string, string];
    const ref = { conversationId: reminder.conversationId, meetingId, date };
    const { series, occurrence } = await meetings.occurrence(ref);
    const names = orgNames(await access.listOrganisations());
    return step === 'kallelse'
      ? renderCard(
          'agenda',
          agendaView(
            series,
            occurrence,
            meetings.deadlineOf(series, occurrence),
            names,
            undefined,
            true,
          ),
        )
      : renderCard('dagordning', dagordningView(series, occurrence, names));
  };
}

import type { CardJson } from '../../bot/card-renderer.js';
import type { Reminder } from '../../reminders/reminders.schema.js';
import { agendaCard, dagordningCard } from '../cards/agenda-cards.js';
import type { OrgNames } from '../cards/card-parts.js';
import { occurrenceOf } from '../series/rules.js';
import { readSeries, windowFor, type MeetingDeps } from '../series/unit-of-work.js';

const meetingReminder = /^mtg\.([a-z0-9-]+)\.(\d{4}-\d{2}-\d{2})\.(kallelse|finalAgenda)$/;

/**
 * The card a meeting reminder is posted as, built when it is sent so it shows the agenda as it
 * stands then: the kallelse is the live agenda with its form, the final agenda the dagordning.
 * Other reminders keep the generic reminder card (undefined). The reminder engine posts these
 * once per card key (a dagordning a samordnare already sent by hand is updated, not posted
 * again).
 */
export function meetingReminderCards(
  deps: MeetingDeps & {
    names: () => Promise<OrgNames>;
    /** The samordnare, who get their own view of the kallelse. */
    coordinators: () => Promise<readonly string[]>;
  },
) {
  return async (reminder: Reminder): Promise<CardJson | undefined> => {
    const match = meetingReminder.exec(reminder.id);
    if (!match) return undefined;
    const [, meetingId, date, step] = match as unknown as [string, string, string, string];
    const ref = { conversationId: reminder.conversationId, meetingId, date };
    const state = await readSeries(deps, ref, windowFor(date, deps.now()));
    const occurrence = occurrenceOf(state, date);
    const names = await deps.names();
    return step === 'kallelse'
      ? agendaCard(state, occurrence, names, { coordinators: await deps.coordinators() })
      : dagordningCard(state.series, occurrence, names);
  };
}

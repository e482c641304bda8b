import type { Logger } from '../log.js';
import type { ReminderScheduling } from '../reminders/reminders.port.js';
import { addDays, toInstant } from '../schedule/local-time.js';
import type { Participant } from './participants.schema.js';
import type { FollowUpReminders } from './participants.service.js';

const REMIND_AT = '08:00';

const refOf = (participant: Participant, next: string) => ({
  id: `followup.${participant.code}.${next}`,
  dueAt: toInstant(addDays(next, 1), REMIND_AT),
});

/**
 * Follow-up reminders through the reminder engine: at 08:00 the day after a follow-up was due,
 * to the coach's personal chat with the bot. The reminder id names the participant and the due
 * date, so planning again changes nothing; a follow-up already late when planned is not reminded
 * (it is listed as overdue instead).
 */
export function followUpReminders(deps: {
  readonly reminders: ReminderScheduling;
  readonly personalConversation: (userId: string) => Promise<string | undefined>;
  readonly now: () => Date;
  readonly logger: Logger;
}): FollowUpReminders {
  return {
    async plan(participant) {
      const next = participant.nextFollowUpOn;
      if (!next) return;
      const ref = refOf(participant, next);
      if (ref.dueAt <= deps.now()) return;
      const conversationId = await deps.personalConversation(participant.coachId);
      if (!conversationId) {
        deps.logger.warn('participants.followUp.noPersonalChat', { code: participant.code });
        return;
      }
      await deps.reminders.schedule({
        id: ref.id,
        kind: 'followUpDue',
        conversationId,
        dueAt: ref.dueAt,
        title: `Försenad uppföljning: ${participant.code}`,
        text: `Deltagare ${participant.code} skulle ha följts upp senast ${next}. Skriv /deltagare visa ${participant.code} och registrera ${participant.lastFollowUpOn ? 'uppföljningen eller ett nytt steg' : 'den första uppföljningen'}.`,
        ownerId: participant.coachId,
        createdBy: participant.coachId,
      });
    },
    async withdraw(participant) {
      const next = participant.nextFollowUpOn;
      if (!next) return;
      const ref = refOf(participant, next);
      await deps.reminders.cancelPlanned({ id: ref.id, dueAt: ref.dueAt.toISOString() });
    },
  };
}

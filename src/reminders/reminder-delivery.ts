import { cardMessage, textMessage } from '../bot/bot.js';
import { CardFactory } from 'botbuilder';
import { cardAttachment, type CardJson } from '../bot/card-renderer.js';
import type { ReliableSender } from '../bot/delivery.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import type { Logger } from '../log.js';
import { formatWhen } from '../schedule/format.js';
import { reminderKindLabels, reminderProblemTexts } from './reminder-kinds.js';
import { reminderView } from './reminders.cards.js';
import type { Reminder } from './reminders.schema.js';
import type { SchedulerDeps } from './scheduler.js';

/** How the scheduler sends a reminder and whom it tells when it cannot. */
export function reminderDelivery(
  sender: ReliableSender,
  conversations: ConversationService,
  logger: Logger,
  /** A capability's own card for a reminder (e.g. the live agenda); undefined for the default. */
  cardFor: (reminder: Reminder) => Promise<CardJson | undefined> = async () => undefined,
): Pick<SchedulerDeps, 'deliver' | 'report'> {
  return {
    deliver: async (reminder, beforePost) => {
      const card = await cardFor(reminder);
      return sender.send(
        reminder.conversationId,
        card
          ? cardMessage(CardFactory.adaptiveCard(card))
          : cardMessage(cardAttachment('reminder', reminderView(reminder))),
        reminder.cardKey,
        beforePost,
      );
    },

    async report(reminder: Reminder, problem) {
      const what =
        `påminnelsen ”${reminder.title}” (${reminderKindLabels[reminder.kind].toLowerCase()}, ` +
        `planerad ${formatWhen(new Date(reminder.dueAt))})`;
      const text =
        problem === 'crashed-while-sending'
          ? `Det är oklart om ${what} kom fram: ${reminderProblemTexts[problem]}`
          : `${what[0]!.toUpperCase()}${what.slice(1)} skickades inte: ${reminderProblemTexts[problem]}`;
      const personal = await conversations.findPersonal(reminder.ownerId);
      const target =
        personal?.conversationId ?? (problem === 'stale' ? undefined : reminder.conversationId);
      if (!target) {
        logger.warn('reminder.report.no-target', { kind: reminder.kind, problem });
        return;
      }
      const outcome = await sender.send(target, textMessage(text));
      logger.info('reminder.reported', { kind: reminder.kind, problem, outcome: outcome.kind });
    },
  };
}

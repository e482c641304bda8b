import { cardOutbound, textMessage, type OutboundMessage } from '../bot/bot.js';
import { renderCard, type CardJson } from '../bot/card-renderer.js';
import type { DeliveryOutcome, ReliableSender } from '../bot/delivery.js';
import { guaranteeFor, type Guarantee } from '../bot/delivery-rule.js';
import type { PersonalDelivery } from '../bot/personal-delivery.js';
import type { CardPoster, PostOnceOutcome } from '../bot/post-once.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import type { Logger } from '../log.js';
import { formatWhen } from '../schedule/format.js';
import { reminderKindLabels, reminderProblemTexts, UNCLEAR_PROBLEMS } from './reminder-kinds.js';
import { reminderView } from './reminders.cards.js';
import type { Reminder } from './reminders.schema.js';
import type { DeliverOptions, SchedulerDeps } from './scheduler.js';

/**
 * How the scheduler sends a reminder and whom it tells when it cannot. A reminder with a card
 * key is a "post once" card (kallelse, dagordning): if the card is out already (a samordnare
 * sent it by hand), the reminder updates that post instead of posting a second one.
 */
export function reminderDelivery(
  sender: ReliableSender,
  conversations: ConversationService,
  logger: Logger,
  /** A capability's own card for a reminder (e.g. the live agenda); undefined for the default. */
  cardFor: (reminder: Reminder) => Promise<CardJson | undefined> = async () => undefined,
  poster?: CardPoster,
  people?: OwnerReach,
): Pick<SchedulerDeps, 'deliver' | 'report' | 'guarantees'> {
  const activityFor = async (reminder: Reminder): Promise<OutboundMessage> =>
    cardOutbound((await cardFor(reminder)) ?? renderCard('reminder', reminderView(reminder)));

  return {
    async deliver(reminder, options: DeliverOptions) {
      if (reminder.cardKey && poster) {
        const outcome = await poster.postActivityOnce(
          reminder.conversationId,
          reminder.cardKey,
          () => activityFor(reminder),
          { waitMs: 2_000, ...options },
        );
        return fromPostOnce(outcome);
      }
      if (reminder.kind === 'actionItemDue' && people) {
        const record = await conversations.find(reminder.conversationId);
        if (record && record.kind !== 'personal') {
          return toOwner(people, reminder, await activityFor(reminder), options);
        }
      }
      return sender.deliver(reminder.conversationId, await activityFor(reminder), {
        ...options,
        ...(reminder.cardKey ? { cardKey: reminder.cardKey } : {}),
      });
    },

    async guarantees(reminders) {
      const records = await conversations.findMany(reminders.map((r) => r.conversationId));
      const rules = new Map<string, Guarantee>();
      for (const [id, record] of records) {
        rules.set(id, record ? guaranteeFor(record.kind) : 'at-most-once');
      }
      return rules;
    },

    async report(reminder, problem) {
      const what =
        `påminnelsen ”${reminder.title}” (${reminderKindLabels[reminder.kind].toLowerCase()}, ` +
        `planerad ${formatWhen(new Date(reminder.plannedFor ?? reminder.dueAt))})`;
      const text = UNCLEAR_PROBLEMS.has(problem)
        ? `Det är oklart om ${what} kom fram: ${reminderProblemTexts[problem]}`
        : `${what[0]!.toUpperCase()}${what.slice(1)} skickades inte: ${reminderProblemTexts[problem]}`;
      const personal = await conversations.findPersonal(reminder.ownerId);
      const target =
        personal?.conversationId ?? (problem === 'stale' ? undefined : reminder.conversationId);
      if (!target) {
        logger.warn('reminder.report.no-target', { kind: reminder.kind, problem });
        return;
      }
      const outcome = await sender.deliver(target, textMessage(text));
      logger.info('reminder.reported', { kind: reminder.kind, problem, outcome: outcome.kind });
    },
  };
}

/** How action item reminders reach their owner personally. */
export interface OwnerReach {
  readonly deliver: PersonalDelivery;
  /** The owner's name as Teams shows it, for a mention. */
  readonly nameOf: (userId: string) => Promise<string | undefined>;
}

/**
 * An action item's reminder planned for the meeting's channel (the owner had no chat with the
 * bot then): to the owner's own chat if there is one now or Teams opens one; otherwise an
 * @mention in the channel without the task, which `/uppgifter` shows to whoever asks there.
 */
async function toOwner(
  people: OwnerReach,
  reminder: Reminder,
  activity: OutboundMessage,
  options: DeliverOptions,
): Promise<DeliveryOutcome> {
  const name = (await people.nameOf(reminder.ownerId)) ?? 'Ansvarig';
  const reached = await people.deliver(reminder.ownerId, activity, {
    ...options,
    fallback: {
      conversationId: reminder.conversationId,
      name,
      text: 'du har en uppgift från ett möte här som snart ska vara klar. Skriv /uppgifter här för att se den.',
    },
  });
  return reached.kind === 'unreachable' ? { kind: 'unknown-conversation' } : reached.outcome;
}

function fromPostOnce(outcome: PostOnceOutcome): DeliveryOutcome {
  switch (outcome.kind) {
    case 'posted':
    case 'updated':
      return { kind: 'sent', activityId: outcome.activityId };
    case 'too-large':
    case 'uncertain':
    case 'stale':
    case 'unknown-conversation':
    case 'aborted':
      return outcome;
    case 'pending':
      return { kind: 'retries-exhausted' };
    case 'not-sent':
      if (outcome.reason === 'rejected') return { kind: 'rejected', status: outcome.status ?? 0 };
      if (outcome.reason === 'deferred') return { kind: 'deferred' };
      return {
        kind: 'retries-exhausted',
        ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      };
  }
}

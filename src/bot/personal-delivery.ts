import type { Activity } from 'botbuilder';
import type { ConversationService } from '../conversations/conversations.service.js';
import { errorFields, type Logger } from '../log.js';
import type { DeliveryOutcome, ReliableSender, SendOptions } from './delivery.js';
import type { ProactiveMessenger } from './proactive.js';

/** Where to reach a person when Teams cannot give them a personal message. */
export interface PersonalFallback {
  /** A channel or group chat the person is in (where the message is about). */
  readonly conversationId: string;
  /** Their name as Teams shows it, for the mention. */
  readonly name: string;
  /** What the mention says: never the details the personal message carried. */
  readonly text: string;
}

export type PersonalOutcome =
  | { readonly kind: 'personal'; readonly outcome: DeliveryOutcome }
  | { readonly kind: 'mentioned'; readonly outcome: DeliveryOutcome }
  | { readonly kind: 'unreachable' };

export type PersonalDelivery = (
  userId: string,
  activity: Partial<Activity>,
  options?: SendOptions & { readonly fallback?: PersonalFallback },
) => Promise<PersonalOutcome>;

/**
 * Sends to a person's 1:1 chat with the bot: the stored one, or one opened now through a
 * conversation they are in. Where Teams will not (a member of another tenant in a shared
 * channel: 403 or 404 when the chat is opened), the person is @mentioned in that conversation
 * with a short text and none of the details.
 */
export function personalDelivery(deps: {
  readonly conversations: ConversationService;
  readonly proactive: ProactiveMessenger;
  readonly sender: ReliableSender;
  readonly logger: Logger;
}): PersonalDelivery {
  return async (userId, activity, options = {}) => {
    const { fallback, ...send } = options;
    const stored = await deps.conversations.findPersonal(userId);
    if (stored && !stored.staleSince) {
      const outcome = await deps.sender.deliverTo(stored, activity, send);
      if (outcome.kind !== 'stale') return { kind: 'personal', outcome };
    }
    if (!fallback) return { kind: 'unreachable' };
    const via = await deps.proactive.target(fallback.conversationId);
    if (via.kind !== 'ok') return { kind: 'unreachable' };
    try {
      const opened = await deps.proactive.openPersonal(via.record, userId, via.record.tenantId);
      if (opened !== 'refused') {
        return { kind: 'personal', outcome: await deps.sender.deliverTo(opened, activity, send) };
      }
      deps.logger.info('personal.refused', { conversationKind: via.record.kind });
    } catch (error) {
      deps.logger.warn('personal.open.failed', errorFields(error));
    }
    const outcome = await deps.sender.deliverTo(via.record, mentionOf(userId, fallback), send);
    return { kind: 'mentioned', outcome };
  };
}

/** A message that @mentions one person, in plain text. */
export function mentionOf(userId: string, fallback: Pick<PersonalFallback, 'name' | 'text'>) {
  const name = fallback.name.replace(/[<>&]/g, '').trim() || 'Hej';
  const tag = `<at>${name}</at>`;
  return {
    type: 'message',
    text: `${tag} ${fallback.text}`.normalize('NFC'),
    entities: [{ type: 'mention', text: tag, mentioned: { id: userId, name } }],
  } satisfies Partial<Activity>;
}

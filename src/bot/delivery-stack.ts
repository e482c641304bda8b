import type { Activity, CloudAdapter } from 'botbuilder';
import type { ConversationService } from '../conversations/conversations.service.js';
import type { Logger } from '../log.js';
import { ConversationRateLimiter, ReliableSender } from './delivery.js';
import { CardPoster } from './post-once.js';
import { defaultMessengerOptions, ProactiveMessenger } from './proactive.js';

/** Everything that sends on the bot's own initiative, built once per instance. */
export function createDelivery(deps: {
  readonly adapter: CloudAdapter;
  readonly botAppId: string;
  readonly conversations: ConversationService;
  readonly logger: Logger;
  /** `CONNECTOR_TIMEOUT_SECONDS`, in milliseconds. */
  readonly timeoutMs: number;
  readonly instanceId: string;
}) {
  const { adapter, botAppId, conversations, logger, instanceId } = deps;
  const proactive = new ProactiveMessenger(adapter, botAppId, conversations, logger, {
    ...defaultMessengerOptions,
    timeoutMs: deps.timeoutMs,
  });
  const sender = new ReliableSender(proactive, new ConversationRateLimiter(), logger);
  const poster = new CardPoster({
    sender,
    messenger: proactive,
    conversations,
    instanceId,
    logger,
  });
  return { proactive, sender, poster };
}

/**
 * The `post(conversationId, activity, cardKey)` that card handlers were given before "post
 * once" existed, now on top of it: one post per key whichever instance gets the click, one
 * attempt while the click waits for its answer (inside Teams' 15 s). Those handlers answer
 * anything but `sent` with "try again", so a repeated click may post over an uncertain earlier
 * attempt (`repostUncertain`).
 */
export function postOnceAsBefore(poster: CardPoster) {
  return async (
    conversationId: string,
    activity: Partial<Activity>,
    cardKey: string,
  ): Promise<{ readonly kind: string }> => {
    const outcome = await poster.postActivityOnce(conversationId, cardKey, () => activity, {
      maxAttempts: 1,
      repostUncertain: true,
    });
    return outcome.kind === 'posted' || outcome.kind === 'updated' ? { kind: 'sent' } : outcome;
  };
}

import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { CardFactory, MessageFactory } from 'botbuilder';
import type { ConversationReferenceData } from '../conversations/conversations.schema.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import { errorFields, type Logger } from '../log.js';
import type { CardJson } from './card-renderer.js';

export type ProactiveOutcome =
  { kind: 'sent'; activityId: string } | { kind: 'unknown-conversation' } | { kind: 'stale' };

/**
 * Sends into a conversation the bot is not currently answering, from its stored reference, so
 * it works after a restart and from any instance.
 * @remarks A continuation turn would make every send a reply to a made-up activity id, so the
 * reply id is removed: proactive messages start a new post. Teams answers 403 once the bot is
 * removed; the conversation is then marked stale and the caller decides whom to tell.
 */
export class ProactiveMessenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly conversations: ConversationService,
    private readonly logger: Logger,
  ) {}

  async send(
    conversationId: string,
    activity: Partial<Activity>,
    cardKey?: string,
  ): Promise<ProactiveOutcome> {
    const record = await this.conversations.find(conversationId);
    if (!record) return { kind: 'unknown-conversation' };
    if (record.staleSince) return { kind: 'stale' };
    let activityId: string | undefined;
    try {
      await this.inConversation(record.reference, async (turn) => {
        turn.onSendActivities(async (_turn, activities, next) => {
          for (const outgoing of activities) delete outgoing.replyToId;
          return next();
        });
        activityId = (await turn.sendActivity(activity))?.id;
      });
    } catch (error) {
      if (statusOf(error) === 403) {
        await this.conversations.markStale(conversationId);
        this.logger.warn('proactive.stale', { conversationKind: record.kind });
        return { kind: 'stale' };
      }
      this.logger.warn('proactive.failed', errorFields(error));
      throw error;
    }
    if (!activityId) throw new Error('The Bot Connector returned no activity id');
    if (cardKey) {
      // The message is out: failing to remember its id must not make anyone send it again.
      try {
        await this.conversations.recordCard(conversationId, cardKey, activityId);
      } catch (error) {
        this.logger.error('proactive.recordCard.failed', errorFields(error));
      }
    }
    return { kind: 'sent', activityId };
  }

  sendCard(conversationId: string, card: CardJson, cardKey?: string): Promise<ProactiveOutcome> {
    return this.send(
      conversationId,
      MessageFactory.attachment(CardFactory.adaptiveCard(card)),
      cardKey,
    );
  }

  /**
   * Replaces a card posted earlier under `cardKey`; false when there is no such card. The card
   * may be given as a function, so it is only built when there is a posted card to replace.
   */
  async updateCard(
    conversationId: string,
    cardKey: string,
    card: CardJson | (() => Promise<CardJson>),
  ): Promise<boolean> {
    const [record, posted] = await Promise.all([
      this.conversations.find(conversationId),
      this.conversations.findCard(conversationId, cardKey),
    ]);
    if (!record || !posted || record.staleSince) return false;
    const content = typeof card === 'function' ? await card() : card;
    await this.inConversation(record.reference, async (turn) => {
      await turn.updateActivity({
        ...MessageFactory.attachment(CardFactory.adaptiveCard(content)),
        id: posted.activityId,
      });
    });
    return true;
  }

  /**
   * Runs `work` in a continuation turn and rethrows what it threw: the adapter would otherwise
   * hand the error to its turn-error handler and resolve as if all went well.
   */
  private async inConversation(
    reference: ConversationReferenceData,
    work: (turn: TurnContext) => Promise<void>,
  ): Promise<void> {
    let failure: { error: unknown } | undefined;
    await this.adapter.continueConversationAsync(
      this.botAppId,
      reference as Partial<ConversationReference>,
      async (turn) => {
        try {
          await work(turn);
        } catch (error) {
          failure = { error };
        }
      },
    );
    if (failure) throw failure.error;
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

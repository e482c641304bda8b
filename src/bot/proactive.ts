import type { Activity, CloudAdapter, ConversationReference } from 'botbuilder';
import { CardFactory, MessageFactory, TurnContext } from 'botbuilder';
import type {
  ConversationRecord,
  ConversationReferenceData,
  PostedCard,
} from '../conversations/conversations.schema.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import { errorFields, type Logger } from '../log.js';
import { CARD_BUDGET_BYTES, checkBudget, oversizeNoticeMessage } from './card-budget.js';
import type { CardJson } from './card-renderer.js';
import {
  callConnector,
  createConversation,
  withTimeout,
  type ConnectorCredentials,
  type ConnectorRequest,
} from './connector-client.js';
import { ConnectorFailure, judgeFailure } from './delivery-rule.js';

export type ProactiveOutcome =
  | { kind: 'sent'; activityId: string }
  | { kind: 'unknown-conversation' }
  | { kind: 'stale' }
  /** The message was over the card budget: the short notice was posted instead (`activityId`). */
  | { kind: 'too-large'; bytes: number; activityId: string };

export type UpdateOutcome =
  | { kind: 'updated' }
  | { kind: 'stale' }
  /** The new card was over the budget: the post now shows the short notice instead. */
  | { kind: 'too-large'; bytes: number };

export type Target =
  { kind: 'ok'; record: ConversationRecord } | { kind: 'unknown-conversation' } | { kind: 'stale' };

export interface MessengerOptions {
  /** The longest one call to the Bot Connector may take, token included. */
  readonly timeoutMs: number;
  readonly budgetBytes: number;
}

export const defaultMessengerOptions: MessengerOptions = {
  timeoutMs: 10_000,
  budgetBytes: CARD_BUDGET_BYTES,
};

/**
 * Sends into a conversation the bot is not currently answering, from its stored reference, so
 * it works after a restart and from any instance.
 * @remarks Every call is one attempt with a timeout ({@link callConnector}); retries and the
 * delivery rule are the caller's ({@link ReliableSender}). Proactive messages start a new post
 * (no reply id). A message over the card budget is never sent: the short notice goes instead.
 * Teams answers 403 once the bot is removed; the conversation is then marked stale and the
 * caller decides whom to tell.
 */
export class ProactiveMessenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly conversations: ConversationService,
    private readonly logger: Logger,
    readonly options: MessengerOptions = defaultMessengerOptions,
  ) {}

  /** Where a message to the conversation would go, or why it cannot go anywhere. */
  async target(conversationId: string): Promise<Target> {
    const record = await this.conversations.find(conversationId);
    if (!record) return { kind: 'unknown-conversation' };
    if (record.staleSince) return { kind: 'stale' };
    return { kind: 'ok', record };
  }

  /** One POST to the conversation; a failure throws {@link ConnectorFailure}. */
  async send(
    conversationId: string,
    activity: Partial<Activity>,
    cardKey?: string,
    options: { hint?: string } = {},
  ): Promise<ProactiveOutcome> {
    const target = await this.target(conversationId);
    if (target.kind !== 'ok') return target;
    return this.post(target.record, activity, { ...options, ...(cardKey ? { cardKey } : {}) });
  }

  /** One POST to a conversation already looked up (see {@link target}). */
  async post(
    record: ConversationRecord,
    activity: Partial<Activity>,
    options: { cardKey?: string; hint?: string } = {},
  ): Promise<ProactiveOutcome> {
    let outgoing = addressed(activity, record.reference);
    const budget = checkBudget(outgoing, this.options.budgetBytes);
    if (!budget.ok) {
      this.logger.warn('proactive.tooLarge', { bytes: budget.bytes, kind: record.kind });
      outgoing = addressed(oversizeNoticeMessage(options.hint, cardOf(activity)), record.reference);
    }
    const answer = await this.call(record, { activity: outgoing });
    if (answer === 'stale') return { kind: 'stale' };
    if (!answer.id) throw new ConnectorFailure('unknown', 200, 'no-id');
    if (options.cardKey) {
      // The message is out: failing to remember its id must not make anyone send it again.
      try {
        await this.conversations.recordCard(record.conversationId, options.cardKey, answer.id);
      } catch (error) {
        this.logger.error('proactive.recordCard.failed', errorFields(error));
      }
    }
    return budget.ok
      ? { kind: 'sent', activityId: answer.id }
      : { kind: 'too-large', bytes: budget.bytes, activityId: answer.id };
  }

  /** One PUT that replaces a posted activity; a failure throws {@link ConnectorFailure}. */
  async update(
    record: ConversationRecord,
    activityId: string,
    activity: Partial<Activity>,
    hint?: string,
  ): Promise<UpdateOutcome> {
    let outgoing: Partial<Activity> = { ...addressed(activity, record.reference), id: activityId };
    const budget = checkBudget(outgoing, this.options.budgetBytes);
    if (!budget.ok) {
      this.logger.warn('proactive.tooLarge', { bytes: budget.bytes, kind: record.kind });
      outgoing = {
        ...addressed(oversizeNoticeMessage(hint, cardOf(activity)), record.reference),
        id: activityId,
      };
    }
    const answer = await this.call(record, { activity: outgoing, activityId });
    if (answer === 'stale') return { kind: 'stale' };
    return budget.ok ? { kind: 'updated' } : { kind: 'too-large', bytes: budget.bytes };
  }

  /** The posted card under `cardKey`, if there is one. */
  postedCard(conversationId: string, cardKey: string): Promise<PostedCard | undefined> {
    return this.conversations.findCard(conversationId, cardKey);
  }

  sendCard(conversationId: string, card: CardJson, cardKey?: string): Promise<ProactiveOutcome> {
    return this.send(conversationId, cardActivity(card), cardKey);
  }

  /**
   * Replaces a card posted earlier under `cardKey`; false when there is no such card. The card
   * may be given as a function, so it is only built when there is a posted card to replace.
   * One attempt; a failure throws {@link ConnectorFailure}.
   */
  async updateCard(
    conversationId: string,
    cardKey: string,
    card: CardJson | (() => Promise<CardJson>),
  ): Promise<boolean> {
    const [target, posted] = await Promise.all([
      this.target(conversationId),
      this.postedCard(conversationId, cardKey),
    ]);
    if (target.kind !== 'ok' || !posted) return false;
    const content = typeof card === 'function' ? await card() : card;
    const outcome = await this.update(target.record, posted.activityId, cardActivity(content));
    return outcome.kind !== 'stale';
  }

  /**
   * Opens a 1:1 chat with `userId`, through the service of a conversation they are in (`via`),
   * and remembers it as their personal conversation. `refused` when Teams will not (403 or
   * 404: a member of another tenant, or one the app is not installed for); other failures throw
   * {@link ConnectorFailure}.
   */
  async openPersonal(
    via: ConversationRecord,
    userId: string,
    tenantId: string,
  ): Promise<ConversationRecord | 'refused'> {
    const { reference } = via;
    const { timeoutMs } = this.options;
    let answer: { id?: string };
    try {
      const credentials = await withTimeout(this.credentialsFor(reference), timeoutMs);
      answer = await createConversation(
        credentials,
        reference.serviceUrl,
        {
          isGroup: false,
          bot: reference.bot,
          members: [{ id: userId }],
          tenantId,
          channelData: { tenant: { id: tenantId } },
        },
        timeoutMs,
      );
    } catch (error) {
      const status = error instanceof ConnectorFailure ? error.statusCode : undefined;
      if (status === 403 || status === 404) return 'refused';
      throw error;
    }
    if (!answer.id) throw new ConnectorFailure('unknown', 200, 'no-id');
    const personal: ConversationReferenceData = {
      serviceUrl: reference.serviceUrl,
      channelId: reference.channelId,
      conversation: { id: answer.id, conversationType: 'personal', tenantId },
      bot: reference.bot,
      user: { id: userId },
    };
    await this.conversations.remember({ reference: personal, kind: 'personal', tenantId });
    return (await this.conversations.find(answer.id)) ?? 'refused';
  }

  /** One call with the adapter's credentials; a 403 marks the conversation stale. */
  private async call(
    record: ConversationRecord,
    request: Pick<ConnectorRequest, 'activity' | 'activityId'>,
  ): Promise<{ id?: string } | 'stale'> {
    const { timeoutMs } = this.options;
    const started = Date.now();
    try {
      const credentials = await withTimeout(this.credentialsFor(record.reference), timeoutMs).catch(
        (error: unknown) => {
          throw new ConnectorFailure('refused', undefined, 'token', undefined, { cause: error });
        },
      );
      return await callConnector(
        credentials,
        {
          ...request,
          serviceUrl: record.reference.serviceUrl,
          conversationId: record.conversationId,
        },
        Math.max(1, timeoutMs - (Date.now() - started)),
      );
    } catch (error) {
      const verdict = judgeFailure(error);
      if (verdict.action === 'stale') {
        await this.conversations.markStale(record.conversationId);
        this.logger.warn('proactive.stale', { conversationKind: record.kind });
        return 'stale';
      }
      this.logger.warn('proactive.failed', {
        ...errorFields(error),
        knowledge: verdict.knowledge,
        ms: Date.now() - started,
        ...(error instanceof ConnectorFailure ? { code: error.code } : {}),
      });
      throw error;
    }
  }

  /**
   * The credentials the adapter would sign this conversation's requests with, taken from the
   * connector client of a continuation turn (so tokens, audiences and clouds stay the SDK's).
   */
  private async credentialsFor(
    reference: ConversationReferenceData,
  ): Promise<ConnectorCredentials> {
    let credentials: ConnectorCredentials | undefined;
    await this.adapter.continueConversationAsync(
      this.botAppId,
      reference as Partial<ConversationReference>,
      async (turn) => {
        const client = turn.turnState.get<{ credentials?: ConnectorCredentials } | undefined>(
          turn.adapter.ConnectorClientKey,
        );
        credentials = client?.credentials;
      },
    );
    if (!credentials) throw new Error('The adapter created no connector client');
    return credentials;
  }
}

export function cardActivity(card: CardJson): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

function cardOf(activity: Partial<Activity>): unknown {
  return activity.attachments?.find(
    (attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive',
  )?.content;
}

/** The activity as the connector will receive it: from the bot, into the conversation. */
function addressed(
  activity: Partial<Activity>,
  reference: ConversationReferenceData,
): Partial<Activity> {
  const outgoing = TurnContext.applyConversationReference(
    { ...activity, type: activity.type ?? 'message' },
    reference as Partial<ConversationReference>,
  );
  delete outgoing.replyToId;
  return outgoing;
}

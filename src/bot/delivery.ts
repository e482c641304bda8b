import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';
import type { ConversationRecord } from '../conversations/conversations.schema.js';
import { errorFields, type Logger } from '../log.js';
import { recordThrottled } from '../telemetry/telemetry.js';
import { withinBudget } from './card-budget.js';
import type { CardJson } from './card-renderer.js';
import { withTimeout } from './connector-client.js';
import { ConnectorFailure, guaranteeFor, judgeFailure, type Guarantee } from './delivery-rule.js';
import {
  cardActivity,
  type ProactiveMessenger,
  type ProactiveOutcome,
  type UpdateOutcome,
} from './proactive.js';
import { ConversationRateLimiter, systemClock, type Clock } from './rate-limiter.js';

export { ConversationRateLimiter, systemClock, type Clock };

export type DeliveryOutcome =
  | ProactiveOutcome
  /** `beforePost` said no: someone else owns the message now, nothing was sent. */
  | { kind: 'aborted' }
  /** Teams refused it for good (e.g. 400, 404, 413); nothing was sent. */
  | { kind: 'rejected'; status: number }
  /**
   * Every attempt failed. With `unknown`, an attempt went out without a clear answer and may
   * have arrived (only under at-least-once, which tries again after that).
   */
  | { kind: 'retries-exhausted'; status?: number; unknown?: boolean }
  /** At most once: an attempt went out without a clear answer and is not tried again. */
  | { kind: 'uncertain'; status?: number }
  /** The deadline came before the first attempt could start: nothing was sent. */
  | { kind: 'deferred' };

export interface DeliveryOptions {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Replies only: the longest one attempt may take before it counts as unanswered. */
  readonly timeoutMs?: number;
}

export interface SendOptions {
  /** Remember the post under this key, so it can be updated later. */
  readonly cardKey?: string;
  /**
   * Awaited once, after the first rate-limit wait and right before the first POST; answering
   * false cancels the send.
   */
  readonly beforePost?: () => Promise<boolean>;
  readonly maxAttempts?: number;
  /** Defaults to the rule for the conversation: {@link guaranteeFor}. */
  readonly guarantee?: Guarantee;
  /** No attempt starts that could end after this instant (the clock's milliseconds). */
  readonly deadline?: number;
  /** Swedish instruction shown when the card is over budget (how to see the details). */
  readonly hint?: string;
}

/**
 * Proactive delivery by the delivery rule (`delivery-rule.ts`): waits for a rate-limit slot,
 * retries refusals that may pass (429 honouring Retry-After, 408, 412, connection refused) with
 * exponential backoff and full jitter, and after an attempt without a clear answer (timeout,
 * reset, 5xx) either stops (`at-most-once` → `uncertain`) or tries again (`at-least-once`).
 * A 403 (bot removed) is not retried.
 */
export class ReliableSender {
  constructor(
    private readonly messenger: ProactiveMessenger,
    private readonly limiter: ConversationRateLimiter,
    private readonly logger: Logger,
    private readonly options: DeliveryOptions = {
      maxAttempts: 5,
      baseDelayMs: 250,
      maxDelayMs: 8_000,
    },
    private readonly clock: Clock = systemClock,
    private readonly random: () => number = Math.random,
  ) {}

  /** The earlier positional form of {@link deliver}, kept for its callers. */
  send(
    conversationId: string,
    activity: Partial<Activity>,
    cardKey?: string,
    beforeFirstPost?: () => Promise<boolean>,
    maxAttempts?: number,
  ): Promise<DeliveryOutcome> {
    return this.deliver(conversationId, activity, {
      ...(cardKey ? { cardKey } : {}),
      ...(beforeFirstPost ? { beforePost: beforeFirstPost } : {}),
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    });
  }

  async deliver(
    conversationId: string,
    activity: Partial<Activity>,
    options: SendOptions = {},
  ): Promise<DeliveryOutcome> {
    const target = await this.messenger.target(conversationId);
    if (target.kind !== 'ok') return target;
    return this.deliverTo(target.record, activity, options);
  }

  /** {@link deliver} to a conversation already looked up. */
  async deliverTo(
    record: ConversationRecord,
    activity: Partial<Activity>,
    options: SendOptions = {},
  ): Promise<DeliveryOutcome> {
    const guarantee = options.guarantee ?? guaranteeFor(record.kind);
    const maxAttempts = options.maxAttempts ?? this.options.maxAttempts;
    const latestStart =
      options.deadline === undefined
        ? undefined
        : options.deadline - this.messenger.options.timeoutMs;
    let lastStatus: number | undefined;
    let unknown = false;
    const exhausted = (): DeliveryOutcome => ({
      kind: 'retries-exhausted',
      ...(lastStatus !== undefined ? { status: lastStatus } : {}),
      ...(unknown ? { unknown } : {}),
    });
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (!(await this.limiter.acquire(record.conversationId, latestStart))) {
        return attempt === 1 ? { kind: 'deferred' } : exhausted();
      }
      if (attempt === 1 && options.beforePost && !(await options.beforePost()))
        return { kind: 'aborted' };
      try {
        return await this.messenger.post(record, activity, {
          ...(options.cardKey ? { cardKey: options.cardKey } : {}),
          ...(options.hint ? { hint: options.hint } : {}),
        });
      } catch (error) {
        const verdict = judgeFailure(error);
        lastStatus = verdict.status;
        if (verdict.status === 429) recordThrottled('teams', 429);
        if (verdict.action === 'reject') return { kind: 'rejected', status: verdict.status ?? 0 };
        if (verdict.action === 'stale') return { kind: 'stale' };
        if (verdict.knowledge === 'unknown') {
          if (guarantee === 'at-most-once') {
            this.logger.warn('delivery.uncertain', { status: verdict.status ?? 0, attempt });
            return {
              kind: 'uncertain',
              ...(lastStatus !== undefined ? { status: lastStatus } : {}),
            };
          }
          unknown = true;
          // A connection that hung once will likely hang again: the next try waits for a later
          // round (the scheduler's next tick) instead of holding this one for another timeout.
          if (timedOut(error)) break;
        }
        if (attempt === maxAttempts) break;
        const delay = backoffDelay(attempt, verdict.retryAfterMs, this.options, this.random);
        if (latestStart !== undefined && this.clock.now() + delay > latestStart) break;
        this.logger.warn('delivery.retry', {
          ...errorFields(error),
          attempt,
          status: verdict.status ?? 0,
          knowledge: verdict.knowledge,
          delayMs: delay,
        });
        await this.clock.sleep(delay);
      }
    }
    return exhausted();
  }

  /**
   * Replaces the card posted under `cardKey` (false when none was posted or the bot was
   * removed). An update shows the same card however often it arrives, so it is retried after
   * refusals and unclear answers alike (not after a timeout: one hung call is waited out once);
   * the last failure is thrown when retries run out.
   */
  async updateCard(
    conversationId: string,
    cardKey: string,
    card: CardJson | (() => Promise<CardJson>),
  ): Promise<boolean> {
    const [target, posted] = await Promise.all([
      this.messenger.target(conversationId),
      this.messenger.postedCard(conversationId, cardKey),
    ]);
    if (target.kind !== 'ok' || !posted) return false;
    const content = typeof card === 'function' ? await card() : card;
    const outcome = await this.update(target.record, posted.activityId, cardActivity(content));
    return outcome.kind !== 'stale';
  }

  /** Replaces a posted activity, retried by the rule for updates; throws when it cannot. */
  async update(
    record: ConversationRecord,
    activityId: string,
    activity: Partial<Activity>,
    options: { maxAttempts?: number; hint?: string } = {},
  ): Promise<UpdateOutcome> {
    const maxAttempts = options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      await this.limiter.acquire(record.conversationId);
      try {
        return await this.messenger.update(record, activityId, activity, options.hint);
      } catch (error) {
        const verdict = judgeFailure(error);
        if (verdict.status === 429) recordThrottled('teams', 429);
        if (verdict.action !== 'retry' || attempt >= maxAttempts || timedOut(error)) throw error;
        const delay = backoffDelay(attempt, verdict.retryAfterMs, this.options, this.random);
        this.logger.warn('delivery.update.retry', { attempt, status: verdict.status ?? 0 });
        await this.clock.sleep(delay);
      }
    }
  }
}

function timedOut(error: unknown): boolean {
  return error instanceof ConnectorFailure && error.code === 'timeout';
}

/** Exponential backoff with full jitter, never shorter than the server's Retry-After. */
function backoffDelay(
  attempt: number,
  retryAfter: number | undefined,
  options: DeliveryOptions,
  random: () => number,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.max(Math.round(random() * ceiling), retryAfter ?? 0);
}

/**
 * One more round on top of the connector client's own retries (it already retries 5xx and a
 * single 429), so a reply that gives up still leaves an invoke inside Teams' 15-second limit.
 */
const replyRetryOptions: DeliveryOptions = {
  maxAttempts: 2,
  baseDelayMs: 250,
  maxDelayMs: 1_000,
  timeoutMs: 5_000,
};

/** A reply the Bot Connector did not take, after retries. Sending an apology would fail too. */
export class ReplyNotDelivered extends Error {
  readonly reason = 'reply-not-delivered' as const;
  constructor(
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super('reply-not-delivered', options);
    this.name = 'ReplyNotDelivered';
  }
}

/**
 * A send hook for a turn. First, a message or card answer over the card budget is replaced by
 * the short notice (`card-budget.ts`), so Teams never refuses it as too large. Then replies
 * follow the at-least-once rule: one that Teams throttled (429, honouring Retry-After), failed
 * in its gateway (408, 412, 5xx) or left unanswered past the timeout is tried again with backoff
 * and jitter; a reply that still does not go through ends as {@link ReplyNotDelivered}.
 * @remarks Only single-activity sends are retried, so a batch that partly went through is never
 * posted twice. An unanswered attempt is left to finish on its own.
 */
export function retryReplies(
  logger: Logger,
  options: DeliveryOptions = replyRetryOptions,
  clock: Clock = systemClock,
  random: () => number = Math.random,
) {
  return async (
    _turn: TurnContext,
    activities: Partial<Activity>[],
    next: () => Promise<ResourceResponse[]>,
  ): Promise<ResourceResponse[]> => {
    activities.forEach((activity, index) => {
      const fitted = withinBudget(activity);
      if (fitted !== activity) {
        logger.warn('reply.tooLarge', { activityType: activity.type ?? 'message' });
        activities[index] = fitted;
      }
    });
    for (let attempt = 1; ; attempt++) {
      try {
        const sending = next();
        return options.timeoutMs === undefined
          ? await sending
          : await withTimeout(sending, options.timeoutMs);
      } catch (error) {
        const verdict = judgeFailure(error);
        const retryable = verdict.action === 'retry';
        if (!retryable || activities.length !== 1 || attempt >= options.maxAttempts) {
          throw new ReplyNotDelivered(verdict.status, { cause: error });
        }
        const delay = backoffDelay(attempt, verdict.retryAfterMs, options, random);
        logger.warn('reply.retry', {
          attempt,
          status: verdict.status ?? 0,
          knowledge: verdict.knowledge,
          delayMs: delay,
        });
        await clock.sleep(delay);
      }
    }
  };
}

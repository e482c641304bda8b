import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';
import { errorFields, type Logger } from '../log.js';
import { recordThrottled } from '../telemetry/telemetry.js';
import type { ProactiveMessenger, ProactiveOutcome } from './proactive.js';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Teams' limits per bot and conversation: 7 per second, 8 per 2 s, 60 per 30 s. */
const WINDOWS: readonly { ms: number; max: number }[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
];

/** Spaces sends per conversation so this instance never exceeds Teams' thread limits. */
export class ConversationRateLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly clock: Clock = systemClock) {}

  /** Resolves when one more send to the conversation is allowed, and counts it. */
  acquire(conversationId: string): Promise<void> {
    const previous = this.queues.get(conversationId) ?? Promise.resolve();
    const next = previous.then(() => this.waitForSlot(conversationId));
    this.queues.set(
      conversationId,
      next.catch(() => undefined),
    );
    return next;
  }

  private async waitForSlot(conversationId: string): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const history = (this.sent.get(conversationId) ?? []).filter((at) => now - at < 30_000);
      let waitMs = 0;
      for (const window of WINDOWS) {
        const inWindow = history.filter((at) => now - at < window.ms);
        if (inWindow.length >= window.max) {
          waitMs = Math.max(waitMs, inWindow[inWindow.length - window.max]! + window.ms - now);
        }
      }
      if (waitMs <= 0) {
        history.push(now);
        this.sent.set(conversationId, history);
        return;
      }
      await this.clock.sleep(waitMs);
    }
  }
}

export type DeliveryOutcome =
  | ProactiveOutcome
  /** `beforeFirstPost` said no: someone else owns the message now, nothing was sent. */
  | { kind: 'aborted' }
  | { kind: 'rejected'; status: number }
  | { kind: 'retries-exhausted'; status?: number };

export interface DeliveryOptions {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

const RETRYABLE = new Set([408, 412, 429, 500, 502, 503, 504]);

/**
 * Proactive delivery that respects Teams' limits: waits for a rate-limit slot, and retries
 * throttling (429, honouring Retry-After) and transient server errors with exponential backoff
 * and full jitter. A 403 (bot removed) is not retried.
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

  /**
   * @param beforeFirstPost awaited once, after the first rate-limit wait and right before the
   * first POST; answering false cancels the send.
   */
  async send(
    conversationId: string,
    activity: Partial<Activity>,
    cardKey?: string,
    beforeFirstPost?: () => Promise<boolean>,
    maxAttempts = this.options.maxAttempts,
  ): Promise<DeliveryOutcome> {
    let lastStatus: number | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      await this.limiter.acquire(conversationId);
      if (attempt === 1 && beforeFirstPost && !(await beforeFirstPost()))
        return { kind: 'aborted' };
      try {
        return await this.messenger.send(conversationId, activity, cardKey);
      } catch (error) {
        const status = statusOf(error);
        lastStatus = status;
        if (status === 429) recordThrottled('teams', status);
        const retryable = status === undefined || RETRYABLE.has(status);
        if (!retryable) return { kind: 'rejected', status };
        if (attempt === maxAttempts) break;
        const delay = backoffDelay(attempt, retryAfterMs(error), this.options, this.random);
        this.logger.warn('delivery.retry', {
          attempt,
          status: status ?? 0,
          delayMs: delay,
          ...errorFields(error),
        });
        await this.clock.sleep(delay);
      }
    }
    return {
      kind: 'retries-exhausted',
      ...(lastStatus !== undefined ? { status: lastStatus } : {}),
    };
  }
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
const replyRetryOptions: DeliveryOptions = { maxAttempts: 2, baseDelayMs: 250, maxDelayMs: 1_000 };

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
 * A send hook for a turn: retries a reply that Teams throttled (429, honouring Retry-After) or
 * that failed in its gateway (408, 412, 5xx) with backoff and jitter; a reply that still does not
 * go through ends as {@link ReplyNotDelivered}.
 * @remarks Only single-activity sends are retried, so a batch that partly went through is never
 * posted twice.
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
    for (let attempt = 1; ; attempt++) {
      try {
        return await next();
      } catch (error) {
        const status = statusOf(error);
        const retryable = status !== undefined && RETRYABLE.has(status);
        if (!retryable || activities.length !== 1 || attempt >= options.maxAttempts) {
          throw new ReplyNotDelivered(status, { cause: error });
        }
        const delay = backoffDelay(attempt, retryAfterMs(error), options, random);
        logger.warn('reply.retry', { attempt, status, delayMs: delay });
        await clock.sleep(delay);
      }
    }
  };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function retryAfterMs(error: unknown): number | undefined {
  const headers = (
    error as { response?: { headers?: { get?(name: string): string | undefined } } } | null
  )?.response?.headers;
  const value = headers?.get?.('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? Math.min(seconds * 1000, 60_000) : undefined;
}

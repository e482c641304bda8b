/**
 * The delivery rule, in one place (the README states it for people).
 *
 * After a failed call to the Bot Connector the bot knows one of two things:
 * - `refused`: nothing was delivered (the connection was refused, the token could not be had,
 *   or Teams answered 4xx such as 429). Trying again cannot make a duplicate.
 * - `unknown`: the request went out and no clear answer came back (our timeout, a reset
 *   connection, or a 5xx from a gateway that may have passed the message on). Trying again may
 *   post a second copy.
 *
 * What `unknown` leads to depends on the message's {@link Guarantee}.
 */
export type Knowledge = 'refused' | 'unknown';

/**
 * - `at-most-once`: after an `unknown` the message is never sent again; it is reported as
 *   uncertain (the owner is told to check). Used where many people would see a duplicate:
 *   channels and group chats, and every "post once" card.
 * - `at-least-once`: after an `unknown` the message is sent again; a rare duplicate is accepted.
 *   Used where losing the message is worse: a person's own chat with the bot, answers to what a
 *   user just asked, and card updates (a repeated update shows the same card).
 */
export type Guarantee = 'at-most-once' | 'at-least-once';

/** The guarantee for a plain message, by the kind of conversation it goes to. */
export function guaranteeFor(conversationKind: 'personal' | 'groupChat' | 'channel'): Guarantee {
  return conversationKind === 'personal' ? 'at-least-once' : 'at-most-once';
}

/** A call to the Bot Connector that failed, with what is known about the message. */
export class ConnectorFailure extends Error {
  readonly reason = 'connector-failure' as const;
  constructor(
    readonly knowledge: Knowledge,
    /** The HTTP status Teams answered with; absent when no answer came. */
    readonly statusCode: number | undefined,
    /** Short machine word for logs: `timeout`, `reset`, `refused`, `token`, `http`. */
    readonly code: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(`connector-${knowledge}-${statusCode ?? code}`, options);
    this.name = 'ConnectorFailure';
  }
}

export interface FailureVerdict {
  readonly knowledge: Knowledge;
  readonly status?: number;
  /**
   * What to do: `retry` (may pass later), `stale` (the bot was removed: 403), or `reject`
   * (Teams will refuse it again, e.g. 400, 404, 413).
   */
  readonly action: 'retry' | 'stale' | 'reject';
  readonly retryAfterMs?: number;
}

/** Refusals that may pass on a later try: throttling and request timeouts on Teams' side. */
const RETRYABLE_REFUSALS = new Set([408, 412, 429]);

const REFUSED_BEFORE_SENDING = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'refused',
  'token',
]);

/** Reads any error from a connector call (ours or the SDK's) into the rule's terms. */
export function judgeFailure(error: unknown): FailureVerdict {
  const status = statusOf(error);
  const retryAfterMs = retryAfterOf(error);
  const extra = {
    ...(status !== undefined ? { status } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
  if (status !== undefined) {
    if (status >= 500) return { knowledge: 'unknown', action: 'retry', ...extra };
    if (status === 403) return { knowledge: 'refused', action: 'stale', ...extra };
    if (RETRYABLE_REFUSALS.has(status)) return { knowledge: 'refused', action: 'retry', ...extra };
    return { knowledge: 'refused', action: 'reject', ...extra };
  }
  if (error instanceof ConnectorFailure) {
    return { knowledge: error.knowledge, action: 'retry', ...extra };
  }
  const code = (error as { code?: unknown } | null)?.code;
  const refused = typeof code === 'string' && REFUSED_BEFORE_SENDING.has(code);
  return { knowledge: refused ? 'refused' : 'unknown', action: 'retry', ...extra };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function retryAfterOf(error: unknown): number | undefined {
  if (error instanceof ConnectorFailure) return error.retryAfterMs;
  const headers = (
    error as { response?: { headers?: { get?(name: string): string | undefined } } } | null
  )?.response?.headers;
  return parseRetryAfter(headers?.get?.('retry-after'));
}

/** `Retry-After` in seconds, capped at a minute; undefined when absent or not a number. */
export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, 60_000) : undefined;
}

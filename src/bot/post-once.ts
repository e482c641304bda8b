import type { Activity } from 'botbuilder';
import type { CardMessage, ConversationRecord } from '../conversations/conversations.schema.js';
import { postedCard } from '../conversations/conversations.schema.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import type { Logger } from '../log.js';
import type { Versioned } from '../versioned.js';
import type { CardJson } from './card-renderer.js';
import type { DeliveryOutcome, ReliableSender } from './delivery.js';
import { cardActivity, type ProactiveMessenger } from './proactive.js';
import { systemClock, type Clock } from './rate-limiter.js';

export type PostOnceOutcome =
  /** This call posted the card. */
  | { kind: 'posted'; activityId: string }
  /** The card was out already (posted by another call or instance); this call's card replaced it. */
  | { kind: 'updated'; activityId: string }
  /** The card was over the budget: the short notice was posted (or put in its place) instead. */
  | { kind: 'too-large'; bytes: number; activityId: string }
  /**
   * A post went out without a clear answer (now or earlier). By the at-most-once rule it is not
   * posted again; tell the user to look in the conversation. `repostUncertain` overrides.
   */
  | { kind: 'uncertain' }
  /** Another instance is posting it right now and did not finish within `waitMs`. */
  | { kind: 'pending' }
  /**
   * Nothing is out and a later call may post: Teams refused it for good (`rejected`), refused
   * every attempt (`exhausted`), or the deadline came before the first attempt (`deferred`).
   */
  | { kind: 'not-sent'; reason: 'rejected' | 'exhausted' | 'deferred'; status?: number }
  /** The caller's `beforePost` said no: nothing was sent. */
  | { kind: 'aborted' }
  | { kind: 'stale' }
  | { kind: 'unknown-conversation' };

export interface PostOnceOptions {
  /** How long a caller that lost the claim waits for the winner's post. Default 3 s. */
  readonly waitMs?: number;
  /** Post again although an earlier post is uncertain: someone looked and asks for it. */
  readonly repostUncertain?: boolean;
  /** Attempts for the post (refusals only are retried). Default 2, for card actions' 15 s. */
  readonly maxAttempts?: number;
  /** Swedish instruction shown when the card is over budget (how to see the details). */
  readonly hint?: string;
  /** No attempt starts that could end after this instant (epoch milliseconds). */
  readonly deadline?: number;
  /** Awaited right before the claim is taken; false cancels (the scheduler's own claim). */
  readonly beforePost?: () => Promise<boolean>;
}

export interface CardPosterDeps {
  readonly sender: ReliableSender;
  readonly messenger: ProactiveMessenger;
  readonly conversations: ConversationService;
  readonly instanceId: string;
  readonly logger: Logger;
  readonly clock?: Clock;
}

const POLL_MS = 150;

/**
 * Posts a card at most once per `(conversation, cardKey)` across every instance, and keeps the
 * one post up to date. The "post if not yet posted" of kallelse, dagordning, minutes and report
 * cards goes through here.
 * @remarks The same pattern as the reminder outbox: a claim row is written with a conditional
 * create right before the POST, so of any number of simultaneous callers exactly one posts
 * (the winner) and records the activity id; every other caller waits briefly for that id and
 * then updates the winner's post with its own, newer card. A winner that dies mid-post leaves a
 * claim whose lease runs out; the next caller then marks it uncertain (at most once: it may have
 * arrived) instead of posting a second copy. A post Teams refused releases the claim, so a
 * later call can post.
 */
export class CardPoster {
  private readonly clock: Clock;

  constructor(private readonly deps: CardPosterDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  /**
   * Posts the card built by `build` once, or updates the post that is already there.
   * `build` is called only when its card is needed, and again before an update that had to
   * wait, so the post shows the newest state.
   */
  postOnce(
    conversationId: string,
    cardKey: string,
    build: () => CardJson | Promise<CardJson>,
    options: PostOnceOptions = {},
  ): Promise<PostOnceOutcome> {
    return this.postActivityOnce(
      conversationId,
      cardKey,
      async () => cardActivity(await build()),
      options,
    );
  }

  /** {@link postOnce} for a whole activity (a card with text, for instance). */
  async postActivityOnce(
    conversationId: string,
    cardKey: string,
    build: () => Partial<Activity> | Promise<Partial<Activity>>,
    options: PostOnceOptions = {},
  ): Promise<PostOnceOutcome> {
    const target = await this.deps.messenger.target(conversationId);
    if (target.kind !== 'ok') return target;
    const record = target.record;
    const waitUntil = this.clock.now() + (options.waitMs ?? 3_000);
    for (;;) {
      const claim = await this.deps.conversations.cardClaim(conversationId, cardKey);
      const state = claim ? stateOf(claim.value) : 'free';
      if (claim && state === 'posted') {
        return this.update(record, postedCard(claim.value)!.activityId, build, options);
      }
      if (!claim || (state === 'uncertain' && options.repostUncertain)) {
        const result = await this.tryPost(record, cardKey, claim, build, options);
        if (result) return result;
        continue;
      }
      if (state === 'uncertain') return { kind: 'uncertain' };
      if (this.leaseExpired(claim.value)) {
        const marked = await this.deps.conversations.replaceCardClaim(
          { ...withoutLease(claim.value), state: 'uncertain' },
          claim.version,
        );
        if (marked) this.deps.logger.warn('postOnce.uncertain', { reason: 'lease-expired' });
        continue;
      }
      if (this.clock.now() >= waitUntil) return { kind: 'pending' };
      await this.clock.sleep(POLL_MS);
    }
  }

  /**
   * Claims the key right before the POST and posts; undefined when another caller got the
   * claim first (the caller then reads it again and waits for that post).
   */
  private async tryPost(
    record: ConversationRecord,
    cardKey: string,
    previous: Versioned<CardMessage> | undefined,
    build: () => Partial<Activity> | Promise<Partial<Activity>>,
    options: PostOnceOptions,
  ): Promise<PostOnceOutcome | undefined> {
    const { conversations, sender } = this.deps;
    const activity = await build();
    const maxAttempts = options.maxAttempts ?? 2;
    let claim: Versioned<CardMessage> | undefined;
    let refusedByCaller = false;
    const claimed: CardMessage = {
      conversationId: record.conversationId,
      cardKey,
      state: 'sending',
      claimedBy: this.deps.instanceId,
      leaseUntil: new Date(Date.now() + this.leaseMs(maxAttempts)).toISOString(),
    };
    const outcome: DeliveryOutcome = await sender.deliverTo(record, activity, {
      guarantee: 'at-most-once',
      maxAttempts,
      ...(options.hint ? { hint: options.hint } : {}),
      ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
      beforePost: async () => {
        if (options.beforePost && !(await options.beforePost())) {
          refusedByCaller = true;
          return false;
        }
        claim = previous
          ? await conversations.replaceCardClaim(claimed, previous.version)
          : await conversations.createCardClaim(claimed);
        return claim !== undefined;
      },
    });
    if (refusedByCaller) return { kind: 'aborted' };
    if (outcome.kind === 'aborted') return undefined;
    if (!claim) return this.failedBeforeClaim(outcome);
    switch (outcome.kind) {
      case 'sent':
      case 'too-large':
        await this.settlePosted(claim, outcome.activityId);
        return outcome.kind === 'sent'
          ? { kind: 'posted', activityId: outcome.activityId }
          : outcome;
      case 'uncertain':
        await conversations.replaceCardClaim(
          { ...withoutLease(claim.value), state: 'uncertain' },
          claim.version,
        );
        return { kind: 'uncertain' };
      case 'stale':
      case 'unknown-conversation':
        await conversations.removeCardClaim(claim.value, claim.version);
        return outcome;
      case 'rejected':
      case 'retries-exhausted':
      case 'deferred':
        await conversations.removeCardClaim(claim.value, claim.version);
        return notSent(outcome);
    }
  }

  private failedBeforeClaim(outcome: DeliveryOutcome): PostOnceOutcome {
    switch (outcome.kind) {
      case 'stale':
      case 'unknown-conversation':
        return outcome;
      case 'rejected':
      case 'retries-exhausted':
      case 'deferred':
        return notSent(outcome);
      default:
        return { kind: 'not-sent', reason: 'deferred' };
    }
  }

  /**
   * Records the activity id. The post is out, so that is the truth even if the claim was
   * marked uncertain meanwhile (a lease that ran out under a very slow post).
   */
  private async settlePosted(claim: Versioned<CardMessage>, activityId: string): Promise<void> {
    const posted: CardMessage = {
      ...withoutLease(claim.value),
      state: 'posted',
      activityId,
      postedAt: new Date().toISOString(),
    };
    if (await this.deps.conversations.replaceCardClaim(posted, claim.version)) return;
    const { conversationId, cardKey } = claim.value;
    await this.deps.conversations.recordCard(conversationId, cardKey, activityId);
  }

  private async update(
    record: ConversationRecord,
    activityId: string,
    build: () => Partial<Activity> | Promise<Partial<Activity>>,
    options: PostOnceOptions,
  ): Promise<PostOnceOutcome> {
    const activity = await build();
    const outcome = await this.deps.sender.update(record, activityId, activity, {
      ...(options.hint ? { hint: options.hint } : {}),
    });
    if (outcome.kind === 'stale') return outcome;
    return outcome.kind === 'too-large'
      ? { kind: 'too-large', bytes: outcome.bytes, activityId }
      : { kind: 'updated', activityId };
  }

  private leaseExpired(claim: CardMessage): boolean {
    return !claim.leaseUntil || Date.parse(claim.leaseUntil) <= Date.now();
  }

  /** Long enough for every attempt of a post, each bounded by the connector timeout. */
  private leaseMs(maxAttempts: number): number {
    return maxAttempts * (this.deps.messenger.options.timeoutMs + 8_000) + 5_000;
  }
}

function notSent(
  outcome: Extract<DeliveryOutcome, { kind: 'rejected' | 'retries-exhausted' | 'deferred' }>,
): PostOnceOutcome {
  const reason =
    outcome.kind === 'rejected'
      ? 'rejected'
      : outcome.kind === 'deferred'
        ? 'deferred'
        : 'exhausted';
  const status = 'status' in outcome ? outcome.status : undefined;
  return { kind: 'not-sent', reason, ...(status !== undefined ? { status } : {}) };
}

function stateOf(claim: CardMessage): 'posted' | 'sending' | 'uncertain' {
  if (postedCard(claim)) return 'posted';
  return claim.state === 'uncertain' ? 'uncertain' : 'sending';
}

function withoutLease(claim: CardMessage): CardMessage {
  const { claimedBy: _by, leaseUntil: _until, ...rest } = claim;
  return rest;
}

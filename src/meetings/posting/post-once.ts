import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../../audit/audit.schema.js';
import type { CardJson } from '../../bot/card-renderer.js';
import type { PostClaim, PostedCard } from '../meetings.schema.js';
import { occurrenceOf } from '../series/rules.js';
import {
  headerWrite,
  readSeries,
  transact,
  windowFor,
  type MeetingDeps,
  type OccurrenceRef,
} from '../series/unit-of-work.js';

/** How the cards of a meeting reach its channel. */
export interface ChannelCards {
  /** Posts a card and remembers it under `cardKey`; `sent` with the message id when it went out. */
  post(
    conversationId: string,
    card: CardJson,
    cardKey: string,
  ): Promise<{ readonly kind: string; readonly activityId?: string }>;
  /** Replaces the card posted under `cardKey`; false when there is none. */
  update(
    conversationId: string,
    cardKey: string,
    card: CardJson | (() => Promise<CardJson>),
  ): Promise<boolean>;
}

/** Where each posted card of a meeting is remembered (the reminders use the same keys). */
export const cardKeyOf = (kind: PostedCard, meetingId: string, date: string) =>
  `${kind === 'kallelse' ? 'agenda' : kind}.${meetingId}.${date}`;

/** How long a claim holds before another instance may take it over (the poster died). */
export const CLAIM_LEASE_MS = 60_000;

export type Claimed =
  | { readonly kind: 'won'; readonly claim: PostClaim }
  | { readonly kind: 'posted'; readonly claim: PostClaim }
  | { readonly kind: 'busy' };

const headerOnly = (deps: MeetingDeps, ref: OccurrenceRef) => () =>
  readSeries(deps, ref, { headsFrom: windowFor(ref.date, deps.now()).headsFrom });

/**
 * Claims the right to post a meeting's card: a conditional write on the meeting's header, so of
 * any number of instances clicked at once exactly one wins. `posted` when it is out already,
 * `busy` while another instance's claim is fresh.
 */
export async function claimPost(
  deps: MeetingDeps,
  ref: OccurrenceRef,
  kind: PostedCard,
  actorId = 'system',
): Promise<Claimed> {
  const fresh: PostClaim = { state: 'claimed', claim: randomUUID(), at: deps.now().toISOString() };
  const outcome = await transact<Claimed>(
    deps,
    headerOnly(deps, ref),
    `post|${kind}|${fresh.claim}`,
    (state) => {
      const occurrence = occurrenceOf(state, ref.date);
      const existing = occurrence.header.posts[kind];
      if (existing?.state === 'posted') return { result: { kind: 'posted', claim: existing } };
      if (existing && state.now.getTime() - Date.parse(existing.at) < CLAIM_LEASE_MS) {
        return { result: { kind: 'busy' } };
      }
      const header = { ...occurrence.header, posts: { ...occurrence.header.posts, [kind]: fresh } };
      return {
        writes: [headerWrite(state, header, state.now)],
        audit: [postAudit(actorId, state.now, ref, kind, 'claim')],
        result: { kind: 'won', claim: fresh },
      };
    },
  );
  return outcome.result;
}

/** Records how a claimed post ended: posted (with its message id), or released for a retry. */
export async function settlePost(
  deps: MeetingDeps,
  ref: OccurrenceRef,
  kind: PostedCard,
  claim: PostClaim,
  activityId: string | undefined,
): Promise<void> {
  await transact(deps, headerOnly(deps, ref), `settle|${kind}|${claim.claim}`, (state) => {
    const occurrence = occurrenceOf(state, ref.date);
    if (occurrence.header.posts[kind]?.claim !== claim.claim) return { result: undefined };
    const posts = { ...occurrence.header.posts };
    if (activityId) posts[kind] = { ...claim, state: 'posted', activityId };
    else delete posts[kind];
    return {
      writes: [headerWrite(state, { ...occurrence.header, posts }, state.now)],
      audit: [postAudit('system', state.now, ref, kind, activityId ? 'posted' : 'release')],
      result: undefined,
    };
  });
}

function postAudit(
  actorId: string,
  now: Date,
  ref: OccurrenceRef,
  kind: PostedCard,
  step: 'claim' | 'posted' | 'release',
): AuditEntry {
  return {
    at: now.toISOString(),
    actorId,
    action: `meetings.post.${step}`,
    subjectType: 'meeting',
    subjectId: ref.meetingId,
    details: { date: ref.date, card: kind },
  };
}

export type PostOutcome = 'posted' | 'updated' | 'pending' | 'not-sent';

export interface PostDeps extends MeetingDeps {
  readonly cards: ChannelCards;
  /** Runs work after the answer (settling a claim, updating a post that is on its way). */
  readonly later: (key: string, work: () => Promise<void>) => void;
}

/**
 * Posts a meeting's card to its channel exactly once, however many instances are clicked at
 * once: the winner of the claim posts (or, when a card was posted under the key before claims
 * existed, updates it); a loser updates the winner's post, waiting for it when it is still on
 * its way. `claimed` is a claim the caller already holds (closing a meeting claims its minutes).
 */
export async function postOnce(
  deps: PostDeps,
  ref: OccurrenceRef,
  kind: PostedCard,
  build: () => Promise<CardJson>,
  options: { readonly claimed?: PostClaim; readonly actorId?: string } = {},
): Promise<PostOutcome> {
  const key = cardKeyOf(kind, ref.meetingId, ref.date);
  const claim: Claimed = options.claimed
    ? { kind: 'won', claim: options.claimed }
    : await claimPost(deps, ref, kind, options.actorId);
  if (claim.kind === 'posted') {
    await deps.cards.update(ref.conversationId, key, build);
    return 'updated';
  }
  if (claim.kind === 'busy') {
    deps.later(`post|${key}`, () => updateWhenPosted(deps, ref.conversationId, key, build));
    return 'pending';
  }
  const settle = (activityId: string | undefined) =>
    deps.later(`settle|${key}|${claim.claim.claim}`, () =>
      settlePost(deps, ref, kind, claim.claim, activityId),
    );
  // A card posted under the key before claims existed is updated, not posted again (a claim
  // the caller took in the change that made the card, like closing, has none before it).
  if (!options.claimed && (await deps.cards.update(ref.conversationId, key, build))) {
    settle('earlier-post');
    return 'updated';
  }
  const sent = await deps.cards.post(ref.conversationId, await build(), key);
  if (sent.kind === 'sent' && sent.activityId) {
    settle(sent.activityId);
    return 'posted';
  }
  settle(undefined);
  return 'not-sent';
}

const WAIT_FOR_POST_MS = 20_000;

/** The loser's part: once the winner's post is remembered, bring it up to date. */
async function updateWhenPosted(
  deps: PostDeps,
  conversationId: string,
  key: string,
  build: () => Promise<CardJson>,
): Promise<void> {
  const until = Date.now() + WAIT_FOR_POST_MS;
  while (Date.now() < until) {
    if (await deps.cards.update(conversationId, key, build)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

import type { CardJson } from '../../bot/card-renderer.js';
import type { MeetingDeps } from '../series/unit-of-work.js';

/**
 * The cards a meeting posts to its channel, each once, then kept up to date: the kallelse, the
 * dagordning, the minutes, and, when Teams says the meeting started or ended, the running
 * meeting and the request to close it.
 */
export const POSTED_CARDS = ['kallelse', 'dagordning', 'minutes', 'run', 'ended'] as const;
export type PostedCard = (typeof POSTED_CARDS)[number];

/** Where each posted card of a meeting is remembered (the reminders use the same keys). */
export const cardKeyOf = (kind: PostedCard, meetingId: string, date: string) =>
  `${kind === 'kallelse' ? 'agenda' : kind}.${meetingId}.${date}`;

/**
 * - posted: this call posted the card
 * - updated: it was out already (posted by another click, instance or reminder); now updated
 * - pending: another instance is posting it right now; its post shows the change
 * - not-sent: it could not be posted now (a later click may)
 */
export type PostOutcome = 'posted' | 'updated' | 'pending' | 'not-sent';

/** How the cards of a meeting reach its channel. */
export interface ChannelCards {
  /**
   * Posts the card at most once per card key, whichever instance gets the click (a claim is
   * written before the post), or updates the post that is already out.
   */
  postOnce(
    conversationId: string,
    cardKey: string,
    build: () => Promise<CardJson>,
  ): Promise<PostOutcome>;
  /** Whether a card is out under `cardKey` (one read). */
  isPosted(conversationId: string, cardKey: string): Promise<boolean>;
  /** Replaces the card posted under `cardKey`; false when there is none. */
  update(
    conversationId: string,
    cardKey: string,
    card: CardJson | (() => Promise<CardJson>),
  ): Promise<boolean>;
}

export interface PostDeps extends MeetingDeps {
  readonly cards: ChannelCards;
  /** Runs work after the answer (bringing posted cards up to date). */
  /** Work after the answer, coalesced per key; `settleMs` apart at the least. */
  readonly later: (key: string, work: () => Promise<void>, settleMs?: number) => void;
  /** The samordnare, who get their own view of the channel's meeting cards. */
  readonly coordinators: () => Promise<readonly string[]>;
}

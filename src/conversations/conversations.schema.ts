import { z } from 'zod';

export const conversationKindSchema = z.enum(['personal', 'groupChat', 'channel']);
export type ConversationKind = z.infer<typeof conversationKindSchema>;

/**
 * Enough of a Bot Framework conversation reference to send into the conversation later.
 * The user part is kept only for personal chats, where it identifies whom the chat is with.
 */
export const conversationReferenceSchema = z.object({
  serviceUrl: z.url(),
  channelId: z.string().min(1).max(40),
  conversation: z.object({
    id: z.string().min(1).max(1000),
    conversationType: z.string().max(40).optional(),
    tenantId: z.string().max(100).optional(),
    isGroup: z.boolean().optional(),
  }),
  bot: z.object({ id: z.string().min(1).max(200), name: z.string().max(200).optional() }),
  user: z
    .object({ id: z.string().min(1).max(200), aadObjectId: z.string().max(100).optional() })
    .optional(),
});
export type ConversationReferenceData = z.infer<typeof conversationReferenceSchema>;

export const conversationRecordSchema = z.object({
  conversationId: z.string().min(1).max(1000),
  tenantId: z.string().max(100),
  kind: conversationKindSchema,
  teamId: z.string().max(1000).optional(),
  /** The person a personal chat is with. */
  userId: z.string().max(200).optional(),
  reference: conversationReferenceSchema,
  updatedAt: z.iso.datetime(),
  /** Set when Teams answered 403: the bot was removed from the conversation. */
  staleSince: z.iso.datetime().optional(),
});
export type ConversationRecord = z.infer<typeof conversationRecordSchema>;

/**
 * A card posted once per key in a conversation, so it can be updated in place later.
 * - sending: an instance holds the claim (until `leaseUntil`) and is posting; nothing is known yet
 * - posted: the card is out as `activityId`
 * - uncertain: a post went out without a clear answer; by the at-most-once rule it is not posted
 *   again unless someone asks for it explicitly
 * Rows written before claims existed have no state and an activity id: they are posted cards.
 */
export const CARD_CLAIM_STATES = ['sending', 'posted', 'uncertain'] as const;

export const cardMessageSchema = z.object({
  conversationId: z.string().min(1).max(1000),
  cardKey: z
    .string()
    .regex(/^[a-z]+(\.[a-zA-Z0-9-]+)+$/)
    .max(200),
  state: z.enum(CARD_CLAIM_STATES).optional(),
  activityId: z.string().min(1).max(200).optional(),
  /** The instance posting it, while `sending`. */
  claimedBy: z.string().max(100).optional(),
  leaseUntil: z.iso.datetime().optional(),
  postedAt: z.iso.datetime().optional(),
  updatedAt: z.iso.datetime().optional(),
});
export type CardMessage = z.infer<typeof cardMessageSchema>;

/** A card that is out, with the activity id that addresses it. */
export interface PostedCard {
  readonly conversationId: string;
  readonly cardKey: string;
  readonly activityId: string;
}

/** Whether a stored card row is a posted card (an old row without a state counts as posted). */
export function postedCard(message: CardMessage | undefined): PostedCard | undefined {
  if (!message?.activityId || (message.state && message.state !== 'posted')) return undefined;
  return {
    conversationId: message.conversationId,
    cardKey: message.cardKey,
    activityId: message.activityId,
  };
}

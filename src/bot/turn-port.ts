import { CardFactory, MessageFactory, TeamsInfo, type TurnContext } from 'botbuilder';
import type { Principal } from '../principal.js';
import type { ConversationKind } from '../conversations/conversations.schema.js';
import type { CardJson } from './card-renderer.js';
import type { MentionedUser } from './command-parser.js';
import { withTimeout } from './connector-client.js';
import { conversationIdOf, conversationKindOf, tenantOf } from './turn-identity.js';

/** Where a turn happens, and a way to answer in it. */
export interface Conversation {
  /** The channel (not the thread) or chat the activity came from. */
  readonly conversationId: string;
  readonly conversationKind: ConversationKind;
  /** Answers in the conversation: text (NFC) or an Adaptive Card. */
  reply(message: string | CardJson): Promise<void>;
}

/**
 * What a command or card handler knows about its turn: who acts, where, and how to answer.
 * @remarks The only view of the Bot Framework that capabilities get, so the transport can be
 * replaced inside `src/bot` alone.
 */
export interface Turn extends Conversation {
  readonly principal: Principal;
  /**
   * The inbound activity's id. Teams re-delivers with the same id, so it identifies a typed
   * command for idempotency the way a form's request id identifies a click.
   */
  readonly activityId: string;
  /** The id of the message that holds the clicked card (card actions only). */
  readonly cardActivityId?: string;
  /** People @mentioned in the message, the bot excluded, in the order written. */
  readonly mentions: readonly MentionedUser[];
  /**
   * The people in this channel's team or this chat, as Teams lists them (at most 500), for
   * choosing people on a card instead of typing them. Empty in the personal chat.
   */
  roster(): Promise<readonly RosterMember[]>;
  /**
   * The Microsoft 365 tenant a member of this conversation belongs to, as Teams lists it (their
   * own tenant also in a shared channel); undefined when Teams does not say.
   */
  memberTenant(userId: string): Promise<string | undefined>;
}

/** A member of a team or chat, as Teams lists it. */
export interface RosterMember {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId?: string;
}

const ROSTER_LIMIT = 500;
const MEMBER_LOOKUP_MS = 3_000;

export function conversationOf(turn: TurnContext): Conversation {
  return {
    conversationId: conversationIdOf(turn.activity),
    conversationKind: conversationKindOf(turn.activity),
    async reply(message) {
      await turn.sendActivity(
        typeof message === 'string'
          ? MessageFactory.text(message.normalize('NFC'))
          : MessageFactory.attachment(CardFactory.adaptiveCard(message)),
      );
    },
  };
}

export function turnOf(
  turn: TurnContext,
  principal: Principal,
  mentions: readonly MentionedUser[] = [],
): Turn {
  const activity = turn.activity;
  return {
    ...conversationOf(turn),
    principal,
    activityId: activity.id ?? '',
    ...(activity.type === 'invoke' && activity.replyToId
      ? { cardActivityId: activity.replyToId }
      : {}),
    mentions,
    async roster() {
      if (conversationKindOf(activity) === 'personal') return [];
      const members: RosterMember[] = [];
      let token: string | undefined;
      do {
        const page = await TeamsInfo.getPagedMembers(turn, 100, token);
        for (const member of page.members) {
          if (member.id === activity.recipient?.id) continue;
          members.push({
            id: member.id,
            name: member.name || member.givenName || 'Okänd',
            ...(member.aadObjectId ? { aadObjectId: member.aadObjectId } : {}),
          });
        }
        token = page.continuationToken;
      } while (token && members.length < ROSTER_LIMIT);
      return members.slice(0, ROSTER_LIMIT);
    },
    async memberTenant(userId) {
      if (conversationKindOf(activity) === 'personal') {
        return userId === activity.from?.id ? tenantOf(activity) : undefined;
      }
      try {
        const member = await withTimeout(TeamsInfo.getMember(turn, userId), MEMBER_LOOKUP_MS);
        return member.tenantId?.toLowerCase() || undefined;
      } catch {
        return undefined;
      }
    },
  };
}

import type { Activity } from 'botbuilder';
import type { TurnIdentity } from '../principal.js';
import type {
  ConversationKind,
  ConversationReferenceData,
} from '../conversations/conversations.schema.js';

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string };
  channel?: { id?: string };
}

function channelData(activity: Partial<Activity>): TeamsChannelData {
  const data: unknown = activity.channelData;
  return data && typeof data === 'object' ? (data as TeamsChannelData) : {};
}

export function tenantOf(activity: Partial<Activity>): string | undefined {
  const id = activity.conversation?.tenantId ?? channelData(activity).tenant?.id;
  return id ? id.toLowerCase() : undefined;
}

/**
 * Who sent an activity. `memberTenantId` is the sender's own tenant when the tenant gate read it
 * from the roster (a shared channel's conversation belongs to the host's tenant); otherwise the
 * conversation's tenant is the sender's.
 */
export function identityOf(
  activity: Partial<Activity>,
  memberTenantId?: string,
): TurnIdentity | undefined {
  const from = activity.from;
  const tenantId = memberTenantId ?? tenantOf(activity);
  if (!from?.id || !tenantId) return undefined;
  return {
    userId: from.id,
    tenantId,
    ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}),
    ...(from.name ? { displayName: from.name } : {}),
  };
}

export function conversationKindOf(activity: Partial<Activity>): ConversationKind {
  switch (activity.conversation?.conversationType) {
    case 'channel':
      return 'channel';
    case 'groupChat':
      return 'groupChat';
    default:
      return activity.conversation?.isGroup ? 'groupChat' : 'personal';
  }
}

/**
 * The conversation a feature belongs to. In a channel Teams names each thread
 * `<channel>;messageid=<root>`; channel features (meetings, reminders, the queue) belong to the
 * channel, and a proactive post to the bare channel id starts a new post there.
 */
export function conversationIdOf(activity: Partial<Activity>): string {
  const id = activity.conversation?.id ?? '';
  return conversationKindOf(activity) === 'channel' ? id.replace(/;messageid=.*$/, '') : id;
}

/** The parts of the activity needed to write into its conversation later. */
export function referenceOf(activity: Partial<Activity>):
  | {
      reference: ConversationReferenceData;
      kind: ConversationKind;
      teamId?: string;
    }
  | undefined {
  const { serviceUrl, channelId, conversation, recipient, from } = activity;
  if (!serviceUrl || !channelId || !conversation?.id || !recipient?.id) return undefined;
  const kind = conversationKindOf(activity);
  const teamId = channelData(activity).team?.id;
  return {
    kind,
    ...(teamId ? { teamId } : {}),
    reference: {
      serviceUrl,
      channelId,
      conversation: {
        id: conversationIdOf(activity),
        ...(conversation.conversationType
          ? { conversationType: conversation.conversationType }
          : {}),
        ...(tenantOf(activity) ? { tenantId: tenantOf(activity) } : {}),
        ...(conversation.isGroup !== undefined ? { isGroup: conversation.isGroup } : {}),
      },
      bot: { id: recipient.id, ...(recipient.name ? { name: recipient.name } : {}) },
      ...(kind === 'personal' && from?.id
        ? { user: { id: from.id, ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}) } }
        : {}),
    },
  };
}

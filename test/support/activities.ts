import { randomUUID } from 'node:crypto';

export const TENANT_ID = '6f1c2a44-5b7e-4d0e-9a6b-0c3f8e2d1a55';
export const OTHER_TENANT_ID = '0b0b0b0b-1111-4222-8333-444455556666';
export const BOT = { id: '28:finsam-bot', name: 'Finsam' };

export interface TestUser {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
}

export const users = {
  anna: {
    id: '29:anna',
    name: 'Anna Samordnare',
    aadObjectId: 'a0000000-0000-4000-8000-000000000001',
  },
  erik: {
    id: '29:erik',
    name: 'Erik Försäkringskassan',
    aadObjectId: 'a0000000-0000-4000-8000-000000000002',
  },
  maria: {
    id: '29:maria',
    name: 'Maria Psykiatrin',
    aadObjectId: 'a0000000-0000-4000-8000-000000000003',
  },
} satisfies Record<string, TestUser>;

export type Where =
  | { kind: 'personal'; conversationId?: string }
  | { kind: 'channel'; conversationId?: string; teamId?: string }
  | { kind: 'groupChat'; conversationId?: string };

interface Options {
  serviceUrl: string;
  from?: TestUser;
  where?: Where;
  tenantId?: string;
}

function conversationOf(where: Where, from: TestUser) {
  switch (where.kind) {
    case 'personal':
      return { id: where.conversationId ?? `a:personal-${from.id}`, conversationType: 'personal' };
    case 'channel':
      return {
        id: where.conversationId ?? '19:referensgrupp@thread.tacv2',
        conversationType: 'channel',
        isGroup: true,
      };
    case 'groupChat':
      return {
        id: where.conversationId ?? '19:groupchat@thread.v2',
        conversationType: 'groupChat',
        isGroup: true,
      };
  }
}

function base(options: Options) {
  const from = options.from ?? users.anna;
  const where = options.where ?? { kind: 'personal' };
  const tenantId = options.tenantId ?? TENANT_ID;
  const conversation = { ...conversationOf(where, from), tenantId };
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: options.serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: BOT,
    conversation,
    channelData: {
      tenant: { id: tenantId },
      ...(where.kind === 'channel'
        ? { team: { id: where.teamId ?? '19:team@thread.tacv2' }, channel: { id: conversation.id } }
        : {}),
    },
  };
}

/** A chat message; in a channel the bot is @mentioned first, as Teams requires. */
export function message(text: string, options: Options & { mention?: TestUser[] }) {
  const activity = base(options);
  const inChannel = options.where?.kind === 'channel';
  const mentionBot = inChannel ? `<at>${BOT.name}</at> ` : '';
  const entities = [
    ...(inChannel ? [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }] : []),
    ...(options.mention ?? []).map((user) => ({
      type: 'mention',
      text: `<at>${user.name}</at>`,
      mentioned: { id: user.id, name: user.name },
    })),
  ];
  return {
    ...activity,
    type: 'message',
    text: `${mentionBot}${text}`,
    textFormat: 'plain',
    entities,
  };
}

/**
 * An Adaptive Card Action.Execute click, or (`trigger: 'automatic'`) the refresh Teams sends on
 * its own for a person named in a card's `refresh.userIds`; `replyToId` is the card's message.
 */
export function cardAction(
  verb: string,
  data: Record<string, unknown>,
  options: Options & { trigger?: 'manual' | 'automatic'; replyToId?: string },
) {
  return {
    ...base(options),
    type: 'invoke',
    name: 'adaptiveCard/action',
    ...(options.replyToId ? { replyToId: options.replyToId } : {}),
    value: {
      action: { type: 'Action.Execute', verb, data },
      trigger: options.trigger ?? 'manual',
    },
  };
}

export function botAdded(options: Options) {
  return {
    ...base(options),
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id }],
  };
}

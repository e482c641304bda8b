import { newId } from '../../src/ids.js';

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
    id: newId(),
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

/**
 * A Teams meeting start or end event in a channel or meeting chat, as Teams sends it when someone
 * starts or ends the meeting (`StartTime` / `EndTime` in UTC).
 */
export function meetingEvent(kind: 'start' | 'end', at: Date, options: Options & { id?: string }) {
  const activity = base(options);
  return {
    ...activity,
    ...(options.id ? { id: options.id } : {}),
    type: 'event',
    name: `application/vnd.microsoft.meeting${kind === 'start' ? 'Start' : 'End'}`,
    channelData: { ...activity.channelData, meeting: { id: 'MCMxOTptZWV0aW5n' } },
    value: {
      Id: 'MCMxOTptZWV0aW5n',
      MeetingType: 'Scheduled',
      Title: 'Referensgrupp',
      JoinUrl: 'https://teams.microsoft.com/l/meetup-join/x',
      [kind === 'start' ? 'StartTime' : 'EndTime']: at.toISOString(),
    },
  };
}

/** The message a message action is started from, as Teams puts it in the invoke. */
export function messagePayload(html: string, from: TestUser = users.erik) {
  return {
    id: '1700000000000',
    createdDateTime: new Date().toISOString(),
    messageType: 'message',
    from: { user: { id: from.aadObjectId, displayName: from.name } },
    body: { contentType: 'html', content: html },
    attachments: [],
    mentions: [],
  };
}

/** A message action's first step: Teams asks for the dialog (`composeExtension/fetchTask`). */
export function messageActionFetch(
  commandId: string,
  payload: ReturnType<typeof messagePayload>,
  options: Options,
) {
  return {
    ...base(options),
    type: 'invoke',
    name: 'composeExtension/fetchTask',
    value: {
      commandId,
      commandContext: 'message',
      messagePayload: payload,
      context: { theme: 'default' },
    },
  };
}

/** A message action's dialog sent (`composeExtension/submitAction`) with the form's values. */
export function messageActionSubmit(
  commandId: string,
  payload: ReturnType<typeof messagePayload>,
  data: Record<string, unknown>,
  options: Options,
) {
  return {
    ...base(options),
    type: 'invoke',
    name: 'composeExtension/submitAction',
    value: {
      commandId,
      commandContext: 'message',
      messagePayload: payload,
      data,
      context: { theme: 'default' },
    },
  };
}

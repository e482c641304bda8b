import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { conversationIdOf, referenceOf } from '../../src/bot/turn-identity.js';

const channelThread = {
  type: 'message',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  channelId: 'msteams',
  recipient: { id: '28:bot' },
  from: { id: '29:anna' },
  conversation: {
    id: '19:abc@thread.tacv2;messageid=1732280000000',
    conversationType: 'channel',
    isGroup: true,
  },
  channelData: { tenant: { id: 'T1' }, team: { id: '19:team@thread.tacv2' } },
} as unknown as Partial<Activity>;

describe('which conversation a turn belongs to', () => {
  it('when a command is written in a channel thread, then it belongs to the channel, not the thread', () => {
    expect(conversationIdOf(channelThread)).toBe('19:abc@thread.tacv2');
    expect(referenceOf(channelThread)?.reference.conversation.id).toBe('19:abc@thread.tacv2');
  });

  it('when a chat id happens to contain ;messageid=, then it is kept as it is (only channels have threads)', () => {
    const chat = {
      ...channelThread,
      conversation: { id: 'a:1;messageid=2', conversationType: 'personal' },
    } as Partial<Activity>;
    expect(conversationIdOf(chat)).toBe('a:1;messageid=2');
  });

  it('when the tenant id arrives in upper case, then the reference stores it in lower case', () => {
    expect(referenceOf(channelThread)?.reference.conversation.tenantId).toBe('t1');
    expect(referenceOf(channelThread)?.teamId).toBe('19:team@thread.tacv2');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAction, message, OTHER_TENANT_ID, TENANT_ID, users } from '../support/activities.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

let connector: FakeConnector;
let bot: TestBot;

beforeAll(async () => {
  connector = await new FakeConnector().start();
  bot = await startTestBot({ ALLOWED_TENANT_IDS: TENANT_ID, BOOTSTRAP_ADMIN_IDS: users.anna.aadObjectId });
});
afterAll(async () => {
  await bot.stop();
  await connector.stop();
});

describe('talking to the bot through its HTTP endpoint', () => {
  it('when someone writes /hjälp in a personal chat, then the help card arrives', async () => {
    connector.clear();
    const response = await bot.post(message('/hjälp', { serviceUrl: connector.url }));
    expect(response.status).toBe(200);
    const card = cardOf(connector.messages()[0]);
    expect(cardText(card)).toContain('Finsam – så använder du boten');
    expect(cardText(card)).toContain('/roller');
  });

  it('when the bot is @mentioned in a channel, then it answers in that channel', async () => {
    connector.clear();
    const channel = { kind: 'channel', conversationId: '19:kanal-ref@thread.tacv2' } as const;
    await bot.post(message('/hjälp', { serviceUrl: connector.url, where: channel }));
    expect(connector.messages('19:kanal-ref@thread.tacv2')).toHaveLength(1);
  });
});

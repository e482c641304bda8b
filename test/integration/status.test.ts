import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../scripts/local/azurite.js';
import { cardAction, message, TENANT_ID, users, type TestUser } from '../support/activities.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

const admin = users.anna;
const clock = new Date('2026-11-23T08:00:00Z');
const hours = (n: number) => new Date(clock.getTime() + n * 3_600_000);
const channel = '19:rsg-status@thread.tacv2';

let connector: FakeConnector;
beforeAll(async () => {
  connector = await new FakeConnector().start();
});
afterAll(async () => {
  await connector.stop();
});

const statusOf = async (bot: TestBot, from: TestUser = admin) => {
  connector.clear();
  const response = await bot.post(message('/status', { serviceUrl: connector.url, from }));
  expect(response.status).toBe(200);
  const [reply] = connector.messages();
  return { reply, text: reply?.body.text ?? cardText(cardOf(reply)) };
};

describe('/status for administratörer', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot(
      { ALLOWED_TENANT_IDS: TENANT_ID, BOOTSTRAP_ADMIN_IDS: admin.aadObjectId },
      { now: () => clock },
    );
    const planned = [
      { id: 'status.a', dueAt: hours(1) },
      { id: 'status.b', dueAt: hours(23) },
      { id: 'status.c', dueAt: hours(30) },
    ];
    for (const { id, dueAt } of planned) {
      await bot.reminders.schedule({
        id,
        kind: 'custom',
        conversationId: channel,
        dueAt,
        title: 'Påminnelse',
        text: 'Dagordningen stänger snart',
        ownerId: admin.id,
        createdBy: admin.id,
      });
    }
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('when an administratör writes /status, then the card shows version, storage, reminders due within 24 h and no stale conversations', async () => {
    const { reply, text } = await statusOf(bot);
    expect(cardOf(reply)).toBeDefined();
    expect(text).toContain('Driftstatus');
    expect(text).toMatch(/Version\n0\.\d+\.\d+/);
    expect(text).toContain('Lagring\nsvarar');
    expect(text).toContain('Påminnelser närmaste 24 h\n2 påminnelser väntar');
    expect(text).toContain('Borttagna konversationer\n0 konversationer');
    expect(text).toContain('Telemetri\navstängd');
    expect(text).toContain('Allt ser bra ut.');
  });

  it('when Teams has removed the bot from a channel, then /status counts it and warns', async () => {
    await bot.post(
      message('/hjälp', {
        serviceUrl: connector.url,
        where: { kind: 'channel', conversationId: channel },
      }),
    );
    connector.failNext(403);
    expect((await bot.proactive.send(channel, { type: 'message', text: 'Hej' })).kind).toBe(
      'stale',
    );
    const { text } = await statusOf(bot);
    expect(text).toContain('Borttagna konversationer\n1 konversation');
    expect(text).toContain('Boten har tagits bort från någon kanal eller chatt');
    expect(text).not.toContain('Allt ser bra ut.');
  });

  it('when the administratör clicks Uppdatera, then the card is rebuilt with fresh counts', async () => {
    const response = await bot.post(
      cardAction('status.refresh', {}, { serviceUrl: connector.url, from: admin }),
    );
    expect(response.status).toBe(200);
    const body = response.body as { type: string; value: unknown };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(body.value)).toContain('2 påminnelser väntar');
  });

  it('when someone without the administratör role asks, then they get a clear refusal and no numbers', async () => {
    const { text } = await statusOf(bot, users.maria);
    expect(text).toBe(
      'Bara förbundets administratörer kan se driftstatus. Be förbundets administratör om rollen.',
    );

    const response = await bot.post(
      cardAction('status.refresh', {}, { serviceUrl: connector.url, from: users.maria }),
    );
    const card = (response.body as { value: unknown }).value;
    expect(cardText(card)).toContain('Bara förbundets administratörer kan se driftstatus.');
    expect(cardText(card)).not.toContain('påminnelser väntar');
  });

  it('when /status is asked for help or given words it does not take, then it explains itself in Swedish', async () => {
    connector.clear();
    await bot.post(message('/status hjälp', { serviceUrl: connector.url, from: users.maria }));
    expect(connector.messages()[0]!.body.text).toContain('Så här används /status:');
    connector.clear();
    await bot.post(message('/driftstatus nu', { serviceUrl: connector.url }));
    expect(connector.messages()[0]!.body.text).toBe(
      '/status tar inga argument. Skriv /status eller /status hjälp.',
    );
  });
});

describe('/status when storage is down', () => {
  let azurite: RunningAzurite;
  let bot: TestBot;
  beforeAll(async () => {
    azurite = await startAzurite();
    bot = await startTestBot({
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      BOOTSTRAP_ADMIN_IDS: admin.aadObjectId,
    });
  });
  afterAll(async () => {
    await bot.stop();
    await azurite.stop();
  });

  it('when storage stops answering, then /status answers at once that storage is unavailable', async () => {
    await azurite.stop();
    const { text } = await statusOf(bot);
    expect(text).toBe(
      'Lagringen svarar inte just nu, så inget har sparats eller ändrats. Försök igen om en stund.',
    );
  });
});

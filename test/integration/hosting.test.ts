import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../scripts/local/azurite.js';
import { message, TENANT_ID, users } from '../support/activities.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, uniquePrefix, type TestBot } from '../support/test-bot.js';

let connector: FakeConnector;
beforeAll(async () => {
  connector = await new FakeConnector().start();
});
afterAll(async () => {
  await connector.stop();
});

describe('authentication', () => {
  it('when an app id is configured, then a POST without a token is refused with 401 and not answered', async () => {
    const bot = await startTestBot({
      MICROSOFT_APP_ID: '11111111-2222-4333-8444-555555555555',
      MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
      MICROSOFT_APP_TYPE: 'SingleTenant',
      MICROSOFT_APP_TENANT_ID: TENANT_ID,
    });
    try {
      connector.clear();
      const activity = message('/hjälp', { serviceUrl: connector.url });
      expect((await bot.post(activity)).status).toBe(401);
      expect(
        (await bot.post(activity, { authorization: 'Bearer forged.token.value' })).status,
      ).toBe(401);
      expect(connector.received).toHaveLength(0);
    } finally {
      await bot.stop();
    }
  });

  it('when no app id is configured (local mode), then the same POST is served', async () => {
    const bot = await startTestBot();
    try {
      connector.clear();
      expect((await bot.post(message('/hjälp', { serviceUrl: connector.url }))).status).toBe(200);
      expect(connector.messages()).toHaveLength(1);
    } finally {
      await bot.stop();
    }
  });
});

describe('storage outage', () => {
  let azurite: RunningAzurite;
  let bot: TestBot;
  beforeAll(async () => {
    azurite = await startAzurite();
    bot = await startTestBot({ STORAGE_CONNECTION_STRING: azurite.connectionString });
  });
  afterAll(async () => {
    await bot.stop();
    await azurite.stop();
  });

  it('when storage is up, then /healthz says ok', async () => {
    const response = await fetch(`${bot.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', storage: 'ok' });
  });

  it('when storage stops, then /healthz says unavailable and a command gets a clear Swedish message', async () => {
    await azurite.stop();
    const response = await fetch(`${bot.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', storage: 'unavailable' });

    connector.clear();
    const reply = await bot.post(
      message('/roller', { serviceUrl: connector.url, from: users.maria }),
    );
    expect(reply.status).toBe(200);
    expect(connector.messages()[0]!.body.text).toBe(
      'Lagringen svarar inte just nu, så inget har sparats eller ändrats. Försök igen om en stund.',
    );
  });
});

describe('proactive messages', () => {
  const channel = { kind: 'channel', conversationId: '19:psykiatri@thread.tacv2' } as const;

  it('when the bot restarts, then it can still post into a conversation it heard from before', async () => {
    const tablePrefix = uniquePrefix();
    const first = await startTestBot({ TABLE_PREFIX: tablePrefix });
    await first.post(message('/hjälp', { serviceUrl: connector.url, where: channel }));
    await first.stop();

    const second = await startTestBot({ TABLE_PREFIX: tablePrefix });
    try {
      connector.clear();
      const outcome = await second.proactive.sendCard(
        channel.conversationId,
        {
          type: 'AdaptiveCard',
          version: '1.5',
          body: [{ type: 'TextBlock', text: 'Kallelse till referensgrupp' }],
        },
        'demo.kallelse-1',
      );
      expect(outcome.kind).toBe('sent');
      const [sent] = connector.messages(channel.conversationId);
      expect(cardText(cardOf(sent))).toBe('Kallelse till referensgrupp');

      const updated = await second.proactive.updateCard(channel.conversationId, 'demo.kallelse-1', {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: 'Sista dag för punkter har passerat' }],
      });
      expect(updated).toBe(true);
      const put = connector.received.find((activity) => activity.method === 'PUT');
      expect(put?.activityId).toBe(outcome.kind === 'sent' ? outcome.activityId : 'none');
      expect(cardText(cardOf(put))).toBe('Sista dag för punkter har passerat');
    } finally {
      await second.stop();
    }
  });

  it('when Teams answers 403 (bot removed), then the conversation is marked stale and not tried again', async () => {
    const bot = await startTestBot();
    try {
      await bot.post(message('/hjälp', { serviceUrl: connector.url, where: channel }));
      connector.clear();
      connector.failNext(403);
      expect(
        (await bot.proactive.send(channel.conversationId, { type: 'message', text: 'Påminnelse' }))
          .kind,
      ).toBe('stale');
      expect(
        (await bot.proactive.send(channel.conversationId, { type: 'message', text: 'Påminnelse' }))
          .kind,
      ).toBe('stale');
      expect(connector.received).toHaveLength(0);

      await bot.post(message('/hjälp', { serviceUrl: connector.url, where: channel }));
      connector.clear();
      expect(
        (await bot.proactive.send(channel.conversationId, { type: 'message', text: 'Åter' })).kind,
      ).toBe('sent');
    } finally {
      await bot.stop();
    }
  });

  it('when a conversation was never seen, then nothing is sent', async () => {
    const bot = await startTestBot();
    try {
      expect(
        (await bot.proactive.send('19:okand@thread.tacv2', { type: 'message', text: 'x' })).kind,
      ).toBe('unknown-conversation');
    } finally {
      await bot.stop();
    }
  });
});

describe('starting in production', () => {
  const run = (env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
    });

  it('when production mode has no Bot Framework credentials, then the bot refuses to start and says why', async () => {
    const { code, stderr } = await run({ APP_ENV: 'production' });
    expect(code).toBe(78);
    expect(stderr).toContain('MICROSOFT_APP_ID saknas');
    expect(stderr).toContain('ALLOWED_TENANT_IDS');
    expect(stderr).toContain('STORAGE_ACCOUNT_URL eller STORAGE_CONNECTION_STRING krävs');
    expect(stderr).toContain('Boten startas inte.');
  });

  it('when production mode asks for a multi-tenant bot, then it is refused', async () => {
    const { code, stderr } = await run({
      APP_ENV: 'production',
      MICROSOFT_APP_ID: '11111111-2222-4333-8444-555555555555',
      MICROSOFT_APP_TYPE: 'MultiTenant',
      ALLOWED_TENANT_IDS: TENANT_ID,
      STORAGE_ACCOUNT_URL: 'https://example.table.core.windows.net',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('MICROSOFT_APP_TYPE ska vara SingleTenant eller UserAssignedMSI');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAction, message, TENANT_ID } from '../support/activities.js';
import { FakeConnector } from '../support/fake-connector.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

const APP_ID = '11111111-2222-4333-8444-555555555555';

let connector: FakeConnector;
let local: TestBot;
let authenticated: TestBot;
beforeAll(async () => {
  connector = await new FakeConnector().start();
  local = await startTestBot();
  authenticated = await startTestBot({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
    MICROSOFT_APP_TYPE: 'SingleTenant',
    MICROSOFT_APP_TENANT_ID: TENANT_ID,
  });
});
afterAll(async () => {
  await Promise.all([local.stop(), authenticated.stop()]);
  await connector.stop();
});

interface RawAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

async function send(
  bot: TestBot,
  init: { method?: string; body?: string; headers?: Record<string, string> },
  path = '/api/messages',
): Promise<RawAnswer> {
  const response = await fetch(`${bot.url}${path}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

/** Nothing about the server's insides: no stack frame, no file path, no upstream address. */
function expectNothingInternal(answer: RawAnswer) {
  expect(answer.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/work\/|\.ts:\d|\.js:\d/);
  expect(answer.text).not.toMatch(/https?:\/\//);
  expect(answer.text).not.toMatch(/<html|<pre|Error:/i);
  expect(answer.text.length).toBeLessThan(200);
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (claims: object) =>
  `Bearer ${base64url({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${base64url(claims)}.${Buffer.from('signature').toString('base64url')}`;
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('the HTTP boundary says nothing about its insides', () => {
  it('when the body is not valid JSON, then 400 with a short JSON body', async () => {
    for (const bot of [local, authenticated]) {
      const answer = await send(bot, {
        body: '{"type": "message", "text": ',
        headers:
          bot === authenticated ? { authorization: token({ aud: APP_ID, exp: inAnHour() }) } : {},
      });
      expect(answer.status).toBe(400);
      expect(answer.contentType).toContain('application/json');
      expectNothingInternal(answer);
    }
  });

  it('when the body is 5 MB, then 413 with a short JSON body', async () => {
    const big = JSON.stringify({ type: 'message', text: 'å'.repeat(5 * 1024 * 1024) });
    const answer = await send(local, { body: big });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text)).toEqual({ error: 'payload-too-large' });
    expectNothingInternal(answer);
  });

  it('when the content type is not JSON, then 415', async () => {
    const answer = await send(local, {
      body: 'type=message&text=hej',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(answer.status).toBe(415);
    expectNothingInternal(answer);
  });

  it('when /api/messages is read with GET, then 405 saying POST is the way', async () => {
    const response = await fetch(`${local.url}/api/messages`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expectNothingInternal({ status: 405, contentType: '', text: await response.text() });
  });

  it('when an unknown path is asked for, then 404 with a short JSON body', async () => {
    const answer = await send(local, { method: 'GET' }, '/etc/passwd');
    expect(answer.status).toBe(404);
    expectNothingInternal(answer);
  });

  it('when a POST has no token, a garbage token, an expired one or one for another bot, then 401', async () => {
    const activity = JSON.stringify(message('/hjälp', { serviceUrl: connector.url }));
    const cases: (string | undefined)[] = [
      undefined,
      'Bearer forged.token.value',
      'Basic dXNlcjpwYXNz',
      token({ aud: APP_ID, exp: Math.floor(Date.now() / 1000) - 3600 }),
      token({ aud: '99999999-2222-4333-8444-555555555555', exp: inAnHour() }),
      `Bearer ${base64url({ alg: 'none' })}.${base64url({ aud: APP_ID, exp: inAnHour() })}.x`,
    ];
    connector.clear();
    for (const authorization of cases) {
      const answer = await send(authenticated, {
        body: activity,
        headers: authorization ? { authorization } : {},
      });
      expect(answer.status, authorization ?? 'none').toBe(401);
      expectNothingInternal(answer);
    }
    expect(connector.received).toHaveLength(0);
  });

  it('when a well-formed token cannot be checked because the signing keys are out of reach, then 503 without the upstream address', async () => {
    const answer = await send(authenticated, {
      body: JSON.stringify(message('/hjälp', { serviceUrl: connector.url })),
      headers: {
        authorization: token({ aud: APP_ID, exp: inAnHour(), iss: 'https://api.botframework.com' }),
      },
    });
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.text)).toEqual({ error: 'authentication-unavailable' });
    expectNothingInternal(answer);
  });

  it('when an invoke the bot does not handle arrives, then it gets a proper answer saying the function is not available', async () => {
    for (const name of ['composeExtension/query', 'task/fetch', 'fileConsent/invoke', 'whatever']) {
      const answer = await local.post({
        ...cardAction('roles.mine', {}, { serviceUrl: connector.url }),
        name,
        value: {},
      });
      expect(answer.status, name).toBe(200);
      expect(JSON.stringify(answer.body)).toContain('Den funktionen finns inte i Finsam');
    }
  });

  it('when the log is read after all of this, then it holds no stack and no path', () => {
    const log = [...local.logLines, ...authenticated.logLines].join('\n');
    expect(log).not.toMatch(/node_modules|\/work\/|\bat [\w.]+ \(/);
  });
});

import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../scripts/local/azurite.js';
import { cardAction, message, users } from '../support/activities.js';
import { FakeConnector } from '../support/fake-connector.js';
import { TelemetryRecorder } from '../support/telemetry-recorder.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

let connector: FakeConnector;
let recorder: TelemetryRecorder;
beforeAll(async () => {
  connector = await new FakeConnector().start();
  recorder = new TelemetryRecorder();
});
afterAll(async () => {
  recorder.stop();
  await connector.stop();
});

describe('telemetry through the real endpoint', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ BOOTSTRAP_ADMIN_IDS: users.anna.aadObjectId });
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('when a command is handled, then its latency, the HTTP request and a span are recorded', async () => {
    await bot.post(message('/hjälp', { serviceUrl: connector.url }));
    expect(
      await recorder.count('finsam.turn.duration', {
        'finsam.turn.kind': 'command',
        'finsam.turn.name': 'hjälp',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(
      await recorder.count('finsam.http.duration', {
        'http.route': '/api/messages',
        'http.response.status_code': 200,
      }),
    ).toBe(1);
    const spans = recorder.spans.getFinishedSpans();
    const request = spans.find((span) => span.name === 'POST /api/messages');
    const command = spans.find((span) => span.name === 'command hjälp');
    expect(request?.kind).toBe(SpanKind.SERVER);
    expect(command?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
    expect(command?.spanContext().traceId).toBe(request?.spanContext().traceId);
  });

  it('when card actions succeed and fail, then each outcome is counted per verb', async () => {
    await bot.post(cardAction('status.refresh', {}, { serviceUrl: connector.url }));
    await bot.post(
      cardAction('status.refresh', {}, { serviceUrl: connector.url, from: users.maria }),
    );
    await bot.post(
      cardAction('status.refresh', {}, { serviceUrl: connector.url, from: users.maria }),
    );
    expect(
      await recorder.count('finsam.card_action.outcomes', {
        verb: 'status.refresh',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(
      await recorder.count('finsam.card_action.outcomes', {
        verb: 'status.refresh',
        outcome: 'error',
      }),
    ).toBe(2);
  });

  it('when a probe or an unknown path is requested, then it is recorded under its route without the path', async () => {
    await fetch(`${bot.url}/readyz`);
    await fetch(`${bot.url}/okand/19121212-1212`);
    expect(await recorder.count('finsam.http.duration', { 'http.route': '/readyz' })).toBe(1);
    expect(
      await recorder.count('finsam.http.duration', {
        'http.route': 'other',
        'http.response.status_code': 404,
      }),
    ).toBe(1);
    expect(await recorder.count('finsam.http.in_flight')).toBe(0);
  });
});

describe('telemetry when storage fails', () => {
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

  it('when storage stops during use, then storage errors are counted as unavailable', async () => {
    const before = await recorder.count('finsam.storage.errors', { kind: 'unavailable' });
    await azurite.stop();
    await bot.post(message('/roller', { serviceUrl: connector.url, from: users.maria }));
    expect(await recorder.count('finsam.storage.errors', { kind: 'unavailable' })).toBeGreaterThan(
      before,
    );
    expect(
      await recorder.count('finsam.turn.duration', {
        'finsam.turn.name': 'roller',
        outcome: 'error',
      }),
    ).toBe(1);
  });
});

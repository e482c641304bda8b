import { InMemoryMetricExporter, AggregationTemporality } from '@opentelemetry/sdk-metrics';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { ConversationRateLimiter, ReliableSender, type Clock } from '../../src/bot/delivery.js';
import type { ProactiveMessenger } from '../../src/bot/proactive.js';
import { createLogger } from '../../src/log.js';
import { toAppError } from '../../src/storage/table-errors.js';
import { startTelemetry } from '../../src/telemetry/providers.js';
import {
  recordHttpRequest,
  recordReminderLag,
  recordStorageError,
  recordThrottled,
  recordTurn,
} from '../../src/telemetry/telemetry.js';
import { TelemetryRecorder } from '../support/telemetry-recorder.js';

let recorder: TelemetryRecorder | undefined;
afterEach(() => {
  recorder?.stop();
  recorder = undefined;
});

const withStatus = (statusCode: number) =>
  Object.assign(new Error(`status ${statusCode}`), { statusCode });

describe('telemetry when Application Insights is not configured', () => {
  it('when nothing is installed, then every recording is a silent no-op', () => {
    expect(() => {
      recordTurn('command', 'hjälp', 'ok', Date.now());
      recordHttpRequest('/api/messages', 'POST').end(200);
      recordReminderLag(1200, 'kallelse');
      recordStorageError('unavailable', undefined);
      recordThrottled('teams', 429);
    }).not.toThrow();
  });

  it('when a recorder is removed, then later recordings do not reach it', async () => {
    recorder = new TelemetryRecorder();
    recorder.stop();
    recordReminderLag(5000, 'kallelse');
    expect(await recorder.count('finsam.reminder.lag')).toBe(0);
  });
});

describe('telemetry metrics', () => {
  it('when a reminder is posted late, then its lag is recorded per kind and never negative', async () => {
    recorder = new TelemetryRecorder();
    recordReminderLag(90_000, 'kallelse');
    recordReminderLag(-50, 'kallelse');
    recordReminderLag(1_000, 'actionItemDue');
    expect(
      await recorder.count('finsam.reminder.lag', { 'finsam.reminder.kind': 'kallelse' }),
    ).toBe(2);
    expect(
      await recorder.range('finsam.reminder.lag', { 'finsam.reminder.kind': 'kallelse' }),
    ).toEqual({ min: 0, max: 90_000 });
  });

  it('when a turn finishes, then its duration, card outcome and a span are recorded', async () => {
    recorder = new TelemetryRecorder();
    recordTurn('card.action', 'agenda.add', 'error', Date.now() - 40);
    recordTurn('command', 'möte', 'ok', Date.now() - 5);
    expect(
      await recorder.count('finsam.card_action.outcomes', { verb: 'agenda.add', outcome: 'error' }),
    ).toBe(1);
    expect(await recorder.count('finsam.card_action.outcomes')).toBe(1);
    expect(await recorder.count('finsam.turn.duration', { 'finsam.turn.name': 'möte' })).toBe(1);
    expect(
      (await recorder.range('finsam.turn.duration', { 'finsam.turn.name': 'agenda.add' })).min,
    ).toBeGreaterThanOrEqual(40);
    expect(recorder.spans.getFinishedSpans().map((span) => span.name)).toEqual([
      'card.action agenda.add',
      'command möte',
    ]);
  });

  it('when storage is down, throttles or fails oddly, then the error is counted; expected 404/409/412 are not', async () => {
    recorder = new TelemetryRecorder();
    toAppError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
    toAppError(withStatus(503));
    toAppError(withStatus(429));
    toAppError(withStatus(400));
    for (const expected of [404, 409, 412]) toAppError(withStatus(expected));

    expect(await recorder.count('finsam.storage.errors')).toBe(4);
    expect(await recorder.count('finsam.storage.errors', { kind: 'unavailable' })).toBe(1);
    expect(await recorder.count('finsam.storage.errors', { kind: 'throttled' })).toBe(2);
    expect(await recorder.count('finsam.storage.errors', { kind: 'unexpected' })).toBe(1);
    expect(await recorder.count('finsam.throttled', { source: 'storage' })).toBe(2);
  });

  it('when Teams answers 429 twice, then the send is retried and both throttles are counted', async () => {
    recorder = new TelemetryRecorder();
    const answers = [withStatus(429), withStatus(429)];
    let attempts = 0;
    const messenger = {
      options: { timeoutMs: 1_000 },
      async target() {
        return { kind: 'ok', record: { conversationId: '19:kanal@thread.tacv2', kind: 'channel' } };
      },
      async post() {
        attempts++;
        const failure = answers.shift();
        if (failure) throw failure;
        return { kind: 'sent', activityId: 'a-1' } as const;
      },
    } as unknown as ProactiveMessenger;
    let now = 0;
    const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };
    const sender = new ReliableSender(
      messenger,
      new ConversationRateLimiter(clock),
      createLogger('silent'),
      { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 100 },
      clock,
      () => 0.5,
    );
    expect(await sender.send('19:kanal@thread.tacv2', { type: 'message', text: 'x' })).toEqual({
      kind: 'sent',
      activityId: 'a-1',
    });
    expect(attempts).toBe(3);
    expect(await recorder.count('finsam.throttled', { source: 'teams', status: 429 })).toBe(2);
  });

  it('when the SDK pipeline is started with exporters, then metrics and spans reach them on shutdown', async () => {
    const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const exported: ReadableSpan[] = [];
    const spans: SpanExporter = {
      export(batch, done: (result: ExportResult) => void) {
        exported.push(...batch);
        done({ code: 0 });
      },
      shutdown: async () => undefined,
    };
    const running = startTelemetry(
      { metrics, spans },
      { serviceName: 'finsam-bot', serviceVersion: '9.9.9', instanceId: 'test-1' },
    );
    recordTurn('command', 'status', 'ok', Date.now());
    recordHttpRequest('/api/messages', 'POST').end(200);
    await running.shutdown();

    const scopes = metrics.getMetrics().flatMap((resource) => resource.scopeMetrics);
    const names = scopes.flatMap((scope) => scope.metrics.map((m) => m.descriptor.name));
    expect(names).toEqual(expect.arrayContaining(['finsam.turn.duration', 'finsam.http.duration']));
    expect(exported.map((span) => span.name)).toEqual(['command status', 'POST /api/messages']);
    expect(exported[0]!.resource.attributes['service.version']).toBe('9.9.9');

    recordTurn('command', 'status', 'ok', Date.now());
    expect(exported).toHaveLength(2);
  });
});

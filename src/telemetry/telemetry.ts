import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  Counter,
  Histogram,
  MeterProvider,
  Span,
  Tracer,
  TracerProvider,
  UpDownCounter,
} from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/** The instrumentation scope every metric and span of the bot is recorded under. */
export const TELEMETRY_SCOPE = 'finsam-bot';

export type Outcome = 'ok' | 'error' | 'refused';
export type TurnKind = 'command' | 'card.action' | 'message.action' | 'privacy';
export type ThrottleSource = 'teams' | 'storage';
export type StorageErrorKind = 'unavailable' | 'throttled' | 'unexpected';

interface Instruments {
  readonly tracer: Tracer;
  readonly turnDuration: Histogram;
  readonly cardActions: Counter;
  readonly httpDuration: Histogram;
  readonly httpInFlight: UpDownCounter;
  readonly reminderLag: Histogram;
  readonly storageErrors: Counter;
  readonly throttled: Counter;
}

let current: Instruments | undefined;
/** The span of the HTTP request being handled, so a turn's span becomes its child. */
const requestSpan = new AsyncLocalStorage<Span>();

/**
 * Records the bot's metrics and spans through these providers until the returned function is
 * called. Without it every `record…` function is a no-op.
 * @remarks Module state rather than injected dependencies, so the choke points (storage error
 * mapping, delivery retries) report without new constructor parameters.
 */
export function useTelemetry(providers: {
  readonly meterProvider: MeterProvider;
  readonly tracerProvider: TracerProvider;
}): () => void {
  const meter = providers.meterProvider.getMeter(TELEMETRY_SCOPE);
  const installed: Instruments = {
    tracer: providers.tracerProvider.getTracer(TELEMETRY_SCOPE),
    turnDuration: meter.createHistogram('finsam.turn.duration', {
      unit: 'ms',
      description: 'Time to handle a command or a card action',
    }),
    cardActions: meter.createCounter('finsam.card_action.outcomes', {
      description: 'Card actions by verb and outcome',
    }),
    httpDuration: meter.createHistogram('finsam.http.duration', {
      unit: 'ms',
      description: 'Time to answer an HTTP request',
    }),
    httpInFlight: meter.createUpDownCounter('finsam.http.in_flight', {
      description: 'HTTP requests being handled',
    }),
    reminderLag: meter.createHistogram('finsam.reminder.lag', {
      unit: 'ms',
      description: 'How late a reminder was posted after its due time',
    }),
    storageErrors: meter.createCounter('finsam.storage.errors', {
      description: 'Storage calls that failed for other reasons than the caller’s conditions',
    }),
    throttled: meter.createCounter('finsam.throttled', {
      description: 'Requests the Bot Connector or storage answered with throttling',
    }),
  };
  current = installed;
  return () => {
    if (current === installed) current = undefined;
  };
}

/** A command or card action finished. Names are command words and card verbs, never input. */
export function recordTurn(kind: TurnKind, name: string, outcome: Outcome, startedAt: number) {
  if (!current) return;
  const ended = Date.now();
  const attributes = { 'finsam.turn.kind': kind, 'finsam.turn.name': name, outcome };
  current.turnDuration.record(ended - startedAt, attributes);
  if (kind === 'card.action') current.cardActions.add(1, { verb: name, outcome });
  const parent = requestSpan.getStore();
  const span = current.tracer.startSpan(
    `${kind} ${name}`,
    { startTime: startedAt, attributes },
    parent ? trace.setSpan(ROOT_CONTEXT, parent) : undefined,
  );
  span.setStatus({ code: outcome === 'ok' ? SpanStatusCode.OK : SpanStatusCode.ERROR });
  span.end(ended);
}

export interface HttpRequestRecording {
  /** Runs the request's handlers, so the spans they record are children of the request's. */
  within(handle: () => void): void;
  /** The request was answered (or the connection closed) with this status. */
  end(status: number): void;
}

/** Starts timing one HTTP request. */
export function recordHttpRequest(route: string, method: string): HttpRequestRecording {
  const instruments = current;
  if (!instruments) return { within: (handle) => handle(), end: () => undefined };
  const startedAt = Date.now();
  const span = instruments.tracer.startSpan(`${method} ${route}`, {
    kind: SpanKind.SERVER,
    startTime: startedAt,
    attributes: { 'http.request.method': method, 'http.route': route },
  });
  instruments.httpInFlight.add(1, { 'http.route': route });
  const within = (handle: () => void) => requestSpan.run(span, handle);
  const end = (status: number) => {
    const ended = Date.now();
    instruments.httpInFlight.add(-1, { 'http.route': route });
    instruments.httpDuration.record(ended - startedAt, {
      'http.route': route,
      'http.response.status_code': status,
    });
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(ended);
  };
  return { within, end };
}

/**
 * A reminder was posted: `lagMs` is the time from its due time to the post.
 * Call it from the scheduler once Teams accepted the reminder.
 */
export function recordReminderLag(lagMs: number, reminderKind: string) {
  current?.reminderLag.record(Math.max(0, lagMs), { 'finsam.reminder.kind': reminderKind });
}

/** A storage call failed in a way the caller did not ask for (outage, throttling, a bug). */
export function recordStorageError(kind: StorageErrorKind, status: number | undefined) {
  current?.storageErrors.add(1, { kind, status: status ?? 0 });
}

/** Teams or storage asked us to slow down. */
export function recordThrottled(source: ThrottleSource, status: number) {
  current?.throttled.add(1, { source, status });
}

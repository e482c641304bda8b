import type { Activity } from 'botbuilder';
import { ConnectorFailure, parseRetryAfter } from './delivery-rule.js';

/** What signs a request to the Bot Connector: the adapter's app credentials (token or none). */
export interface ConnectorCredentials {
  signRequest(resource: { headers: { set(name: string, value: string): void } }): Promise<unknown>;
}

export interface ConnectorRequest {
  readonly serviceUrl: string;
  readonly conversationId: string;
  /** Present for an update (PUT); a new post (POST) has none. */
  readonly activityId?: string;
  readonly activity: Partial<Activity>;
}

/**
 * One call to the Bot Connector, bounded by `timeoutMs` from start to end (token, request and
 * answer), and never retried here: the caller decides by the delivery rule.
 * @remarks The SDK's own connector client retries 5xx and connection errors by itself, which
 * posts a message twice when a gateway answers 502 after passing it on; proactive sends and
 * updates therefore go through this call. A failure is a {@link ConnectorFailure} that says
 * whether anything can have been delivered.
 */
export async function callConnector(
  credentials: ConnectorCredentials,
  request: ConnectorRequest,
  timeoutMs: number,
  send: typeof fetch = fetch,
): Promise<{ id?: string }> {
  const method = request.activityId ? 'PUT' : 'POST';
  return signedCall(credentials, method, urlOf(request), request.activity, timeoutMs, send);
}

/**
 * Asks the Bot Connector for a 1:1 chat between the bot and one member (`POST
 * /v3/conversations`); one attempt, bounded like {@link callConnector}. Teams answers 403 or
 * 404 where it will not create one, e.g. for a member of another tenant in a shared channel.
 */
export async function createConversation(
  credentials: ConnectorCredentials,
  serviceUrl: string,
  parameters: object,
  timeoutMs: number,
  send: typeof fetch = fetch,
): Promise<{ id?: string }> {
  const url = `${withSlash(serviceUrl)}v3/conversations`;
  return signedCall(credentials, 'POST', url, parameters, timeoutMs, send);
}

/** One signed request within `timeoutMs` from start to end; failures as {@link ConnectorFailure}. */
async function signedCall(
  credentials: ConnectorCredentials,
  method: 'POST' | 'PUT',
  url: string,
  body: object,
  timeoutMs: number,
  send: typeof fetch,
): Promise<{ id?: string }> {
  const started = Date.now();
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  await withTimeout(
    credentials.signRequest({ headers: { set: (name, value) => (headers[name] = value) } }),
    timeoutMs,
  ).catch((error: unknown) => {
    throw new ConnectorFailure('refused', undefined, 'token', undefined, { cause: error });
  });
  const signal = AbortSignal.timeout(Math.max(1, timeoutMs - (Date.now() - started)));
  let response: Response;
  let text: string;
  try {
    response = await send(url, { method, headers, body: JSON.stringify(body), signal });
    text = await response.text();
  } catch (error) {
    throw networkFailure(error);
  }
  if (!response.ok) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    const knowledge = response.status >= 500 ? 'unknown' : 'refused';
    throw new ConnectorFailure(knowledge, response.status, 'http', retryAfterMs);
  }
  return idOf(text);
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

function urlOf(request: ConnectorRequest): string {
  const activities = `${withSlash(request.serviceUrl)}v3/conversations/${encodeURIComponent(request.conversationId)}/activities`;
  return request.activityId
    ? `${activities}/${encodeURIComponent(request.activityId)}`
    : activities;
}

function idOf(text: string): { id?: string } {
  if (!text) return {};
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return typeof id === 'string' && id.length > 0 ? { id } : {};
  } catch {
    return {};
  }
}

/**
 * Timeouts, resets and closed sockets after the request left are `unknown`; a connection that
 * was never made is `refused`.
 */
function networkFailure(error: unknown): ConnectorFailure {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ConnectorFailure('unknown', undefined, 'timeout', undefined, { cause: error });
  }
  const code = codeOf(error);
  const refused = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];
  if (code && refused.includes(code)) {
    return new ConnectorFailure('refused', undefined, 'refused', undefined, { cause: error });
  }
  return new ConnectorFailure('unknown', undefined, 'reset', undefined, { cause: error });
}

function codeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Rejects with a `TimeoutError` when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('timed out'), { name: 'TimeoutError' })),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

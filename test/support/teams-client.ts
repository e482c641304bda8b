import { cardAction, message, type TestUser, type Where } from './activities.js';
import { cardText, type FakeConnector, type ReceivedActivity } from './fake-connector.js';

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly ms: number;
}

/** POSTs one activity to a bot's /api/messages, as Teams does, and reads the answer. */
export async function postActivity(botUrl: string, activity: object): Promise<Reply> {
  const started = Date.now();
  const response = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('json') ?? false;
  let body: unknown = text;
  if (isJson && text) body = JSON.parse(text) as unknown;
  return { status: response.status, body, ms: Date.now() - started };
}

/** The Adaptive Card an invoke answered with, or undefined when it answered something else. */
export function invokeCard(reply: Reply): Record<string, unknown> | undefined {
  const body = reply.body as { type?: unknown; value?: unknown } | undefined;
  if (body?.type !== 'application/vnd.microsoft.card.adaptive') return undefined;
  const card = body.value as Record<string, unknown> | undefined;
  return card?.type === 'AdaptiveCard' ? card : undefined;
}

/** Finds the data of the first Action.Execute with `verb` in a card. */
export function actionData(card: unknown, verb: string): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown) => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute' && record.verb === verb) {
      found = (record.data ?? {}) as Record<string, unknown>;
      return;
    }
    Object.values(record).forEach(walk);
  };
  walk(card);
  if (!found) throw new Error(`No action ${verb} in card`);
  return found;
}

/** What the bot sent in reply to one inbound activity (matched by `replyToId`). */
export function repliesTo(connector: FakeConnector, activityId: string): ReceivedActivity[] {
  return connector.received.filter(
    (activity) => activity.body.type === 'message' && activity.body.replyToId === activityId,
  );
}

/** The visible text of a reply: its text plus the text of any card it carries. */
export function replyText(activity: ReceivedActivity): string {
  return [activity.body.text ?? '', cardText(activity.body.attachments)].join('\n').trim();
}

export interface Client {
  readonly botUrl: string;
  readonly connector: FakeConnector;
  /** Sends a chat message and waits for its answer; returns the replies it caused. */
  say(
    text: string,
    from: TestUser,
    where: Where,
    mention?: TestUser[],
  ): Promise<{ reply: Reply; replies: ReceivedActivity[] }>;
  /** Clicks an Action.Execute button; returns the HTTP answer and the card it carried. */
  click(
    verb: string,
    data: Record<string, unknown>,
    from: TestUser,
    where: Where,
  ): Promise<{ reply: Reply; card: Record<string, unknown> | undefined }>;
}

/** A Teams client for one bot endpoint; replies go to `connector`. */
export function teamsClient(botUrl: string, connector: FakeConnector): Client {
  return {
    botUrl,
    connector,
    async say(text, from, where, mention) {
      const activity = message(text, {
        serviceUrl: connector.url,
        from,
        where,
        ...(mention ? { mention } : {}),
      });
      const reply = await postActivity(botUrl, activity);
      return { reply, replies: repliesTo(connector, activity.id) };
    },
    async click(verb, data, from, where) {
      const reply = await postActivity(
        botUrl,
        cardAction(verb, data, { serviceUrl: connector.url, from, where }),
      );
      return { reply, card: invokeCard(reply) };
    },
  };
}

/** Resolves once `condition` holds, polling; throws after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Checks the bot's /healthz; the HTTP status, or 0 when it does not answer at all. */
export async function health(botUrl: string): Promise<number> {
  try {
    const response = await fetch(`${botUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
    await response.text();
    return response.status;
  } catch {
    return 0;
  }
}

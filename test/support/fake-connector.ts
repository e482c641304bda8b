import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

export interface ReceivedActivity {
  readonly method: 'POST' | 'PUT';
  readonly conversationId: string;
  readonly activityId?: string;
  /** The id the connector gave a POSTed activity (what a later PUT addresses). */
  readonly responseId?: string;
  readonly body: {
    type?: string;
    text?: string;
    attachments?: { contentType: string; content: Record<string, unknown> }[];
    [key: string]: unknown;
  };
}

/**
 * Plays the Bot Connector that receives the bot's replies: records every activity the bot sends
 * (POST) or updates (PUT). `failNext` scripts error statuses for the next requests.
 */
export class FakeConnector {
  readonly received: ReceivedActivity[] = [];
  private readonly failures: number[] = [];
  private server?: Server;
  private counter = 0;
  url = '';

  async start(): Promise<this> {
    const app = express();
    app.use(express.json({ limit: '1mb' }));
    const record = (method: 'POST' | 'PUT') => (req: express.Request, res: express.Response) => {
      const failure = this.failures.shift();
      if (failure !== undefined) {
        res.status(failure).json({ error: { code: 'Scripted', message: `scripted ${failure}` } });
        return;
      }
      const conversationId = String(req.params.conversationId);
      const activityId = req.params.activityId ? String(req.params.activityId) : undefined;
      const responseId = method === 'PUT' ? activityId : `activity-${++this.counter}`;
      this.received.push({
        method,
        conversationId,
        ...(activityId ? { activityId } : {}),
        ...(responseId ? { responseId } : {}),
        body: req.body,
      });
      res.status(200).json({ id: responseId });
    };
    app.post('/v3/conversations/:conversationId/activities', record('POST'));
    app.post('/v3/conversations/:conversationId/activities/:replyTo', record('POST'));
    app.put('/v3/conversations/:conversationId/activities/:activityId', record('PUT'));
    this.server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  failNext(...statuses: number[]): void {
    this.failures.push(...statuses);
  }

  /** Messages (not typing indicators) sent to one conversation, oldest first. */
  messages(conversationId?: string): ReceivedActivity[] {
    return this.received.filter(
      (activity) =>
        activity.body.type === 'message' &&
        (conversationId === undefined || activity.conversationId === conversationId),
    );
  }

  clear(): void {
    this.received.length = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

/** The first Adaptive Card of an activity, or undefined. */
export function cardOf(
  activity: ReceivedActivity | undefined,
): Record<string, unknown> | undefined {
  return activity?.body.attachments?.find(
    (a) => a.contentType === 'application/vnd.microsoft.card.adaptive',
  )?.content;
}

/** All visible text in a card, flattened, for assertions. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'title' || key === 'value') && typeof value === 'string')
          parts.push(value);
        else walk(value);
      }
    }
  };
  walk(card);
  return parts.join('\n');
}

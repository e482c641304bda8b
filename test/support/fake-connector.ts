import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { TENANT_ID } from './activities.js';

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

/** A scripted answer: an error status, optionally with a `Retry-After` header (seconds). */
export type ScriptedFailure = number | { status: number; retryAfterSeconds?: number };

/**
 * A scripted misbehaviour after the activity was stored (it counts as received): answer with a
 * 5xx anyway, reset the connection, or hold the answer back for `hangMs`.
 */
export type StoreThen = number | 'reset' | { hangMs: number };

/** A request the connector answered with a scripted error. */
export interface RefusedRequest {
  readonly method: 'POST' | 'PUT';
  readonly conversationId: string;
  readonly status: number;
  readonly at: number;
}

/**
 * Plays the Bot Connector that receives the bot's replies: records every activity the bot sends
 * (POST) or updates (PUT). `failNext` scripts error statuses for the next requests (nothing is
 * stored); `storeThen` stores the next posts and then misbehaves; `delayMs` holds each answer
 * back (the activity counts as received when the request arrives).
 */
export class FakeConnector {
  readonly received: ReceivedActivity[] = [];
  readonly refused: RefusedRequest[] = [];
  /** Arrival time of each received activity, in the same order as `received`. */
  readonly receivedAt: number[] = [];
  delayMs = 0;
  /**
   * The people Teams lists as members of every team and chat (`pagedmembers`, and one member
   * by id with their own `tenantId`).
   */
  roster: { id: string; name: string; aadObjectId?: string; tenantId?: string }[] = [];
  /**
   * A member looked up by id who is not in `roster`: one of the förbund's own tenant (a standard
   * channel, where everyone belongs to the host), or, for shared-channel tests, 404 as Teams
   * answers for someone who is not a member.
   */
  unlistedMembers: 'host-tenant' | 'not-found' = 'host-tenant';
  /** How many times one member was looked up by id (the tenant gate's roster reads). */
  memberLookups = 0;
  /** Answers to `POST /v3/conversations` (a new 1:1 chat): a status to refuse with, or created. */
  createConversation: { status: number } | 'create' = 'create';
  /** The 1:1 chats the bot asked Teams to create, by member id. */
  readonly createdConversations: { memberId: string; conversationId: string }[] = [];
  private readonly failures: { failure: ScriptedFailure; conversationId?: string }[] = [];
  private readonly afterStoring: { then: StoreThen; conversationId?: string }[] = [];
  private server?: Server;
  private counter = 0;
  url = '';

  async start(): Promise<this> {
    const app = express();
    app.use(express.json({ limit: '1mb' }));
    const record = (method: 'POST' | 'PUT') => (req: express.Request, res: express.Response) => {
      const conversationId = String(req.params.conversationId);
      const matching = this.failures.findIndex(
        (entry) => entry.conversationId === undefined || entry.conversationId === conversationId,
      );
      const failure = matching >= 0 ? this.failures.splice(matching, 1)[0]!.failure : undefined;
      if (failure !== undefined) {
        const { status, retryAfterSeconds } =
          typeof failure === 'number' ? { status: failure, retryAfterSeconds: undefined } : failure;
        this.refused.push({ method, conversationId, status, at: Date.now() });
        if (retryAfterSeconds !== undefined)
          res.setHeader('Retry-After', String(retryAfterSeconds));
        res.status(status).json({ error: { code: 'Scripted', message: `scripted ${status}` } });
        return;
      }
      const activityId = req.params.activityId ? String(req.params.activityId) : undefined;
      const responseId = method === 'PUT' ? activityId : `activity-${++this.counter}`;
      this.received.push({
        method,
        conversationId,
        ...(activityId ? { activityId } : {}),
        ...(responseId ? { responseId } : {}),
        body: req.body,
      });
      this.receivedAt.push(Date.now());
      const answer = () => {
        if (!res.writableEnded && !res.destroyed) res.status(200).json({ id: responseId });
      };
      const scripted =
        method === 'POST'
          ? this.afterStoring.findIndex(
              (entry) =>
                entry.conversationId === undefined || entry.conversationId === conversationId,
            )
          : -1;
      const misbehaviour =
        scripted >= 0 ? this.afterStoring.splice(scripted, 1)[0]!.then : undefined;
      if (misbehaviour === 'reset') req.socket.destroy();
      else if (typeof misbehaviour === 'number') {
        res.status(misbehaviour).json({ error: { code: 'Scripted', message: 'after storing' } });
      } else if (misbehaviour !== undefined) setTimeout(answer, misbehaviour.hangMs).unref();
      else if (this.delayMs > 0) setTimeout(answer, this.delayMs);
      else answer();
    };
    app.get('/v3/conversations/:conversationId/pagedmembers', (_req, res) => {
      res.status(200).json({ members: this.roster });
    });
    app.get('/v3/conversations/:conversationId/members/:userId', (req, res) => {
      this.memberLookups++;
      const member =
        this.roster.find((m) => m.id === req.params.userId) ??
        (this.unlistedMembers === 'host-tenant'
          ? { id: req.params.userId, name: 'Medlem', tenantId: TENANT_ID }
          : undefined);
      if (!member) {
        res.status(404).json({ error: { code: 'MemberNotFoundInConversation', message: 'x' } });
        return;
      }
      res.status(200).json(member);
    });
    app.post('/v3/conversations', (req, res) => {
      const body = req.body as { members?: { id?: string }[] };
      const memberId = body.members?.[0]?.id ?? '';
      if (this.createConversation !== 'create') {
        const { status } = this.createConversation;
        res.status(status).json({ error: { code: 'Forbidden', message: 'scripted' } });
        return;
      }
      const conversationId = `a:created-${memberId}`;
      this.createdConversations.push({ memberId, conversationId });
      res.status(201).json({ id: conversationId });
    });
    app.post('/v3/conversations/:conversationId/activities', record('POST'));
    app.post('/v3/conversations/:conversationId/activities/:replyTo', record('POST'));
    app.put('/v3/conversations/:conversationId/activities/:activityId', record('PUT'));
    this.server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  failNext(...failures: ScriptedFailure[]): void {
    this.failures.push(...failures.map((failure) => ({ failure })));
  }

  /** {@link failNext} for requests into one conversation only. */
  failNextIn(conversationId: string, ...failures: ScriptedFailure[]): void {
    this.failures.push(...failures.map((failure) => ({ failure, conversationId })));
  }

  /** Scripts the next POSTs: each is stored (delivered), then answered as `StoreThen` says. */
  storeThen(...misbehaviours: StoreThen[]): void {
    this.afterStoring.push(...misbehaviours.map((then) => ({ then })));
  }

  /** {@link storeThen} for posts into one conversation only. */
  storeThenIn(conversationId: string, ...misbehaviours: StoreThen[]): void {
    this.afterStoring.push(...misbehaviours.map((then) => ({ then, conversationId })));
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
    this.receivedAt.length = 0;
    this.refused.length = 0;
    this.afterStoring.length = 0;
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

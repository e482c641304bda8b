import express, { type Express } from 'express';
import type { CloudAdapter } from 'botbuilder';
import { z } from 'zod';
import type { Bot } from '../bot/bot.js';
import { errorFields, type Logger } from '../log.js';
import { recordHttpRequest } from '../telemetry/telemetry.js';
import { privacyPage, termsPage } from './legal-pages.js';
import type { ServerLifecycle } from './lifecycle.js';

export interface HttpDeps {
  readonly adapter: CloudAdapter;
  readonly bot: Bot;
  readonly logger: Logger;
  /** Resolves when storage answers, rejects when it does not. */
  readonly checkStorage: () => Promise<void>;
  readonly lifecycle: ServerLifecycle;
}

/**
 * The least an activity must have before the Bot Framework adapter sees it: a type, and for a
 * card action an `Action.Execute` with a verb. Anything less is a client error (400), not a
 * crash inside the adapter (500).
 */
const activityEnvelope = z
  .object({ type: z.string().min(1).max(64), name: z.string().max(200).optional() })
  .loose()
  .refine(
    (activity) =>
      activity.type !== 'invoke' ||
      activity.name !== 'adaptiveCard/action' ||
      cardActionValue.safeParse(activity.value).success,
  );
const cardActionValue = z
  .object({
    action: z
      .object({ type: z.literal('Action.Execute'), verb: z.string().min(1).max(200) })
      .loose(),
  })
  .loose();
const MESSAGES = '/api/messages';
const ROUTES = new Set([MESSAGES, '/healthz', '/readyz', '/integritet', '/villkor']);

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');

  app.use((req, res, next) => {
    const route = ROUTES.has(req.path) ? req.path : 'other';
    const recording = recordHttpRequest(route, req.method);
    const leave = req.path === MESSAGES ? deps.lifecycle.enter() : () => undefined;
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      leave();
      recording.end(res.statusCode);
    };
    res.once('finish', end);
    res.once('close', end);
    recording.within(next);
  });
  app.use(express.json({ limit: '512kb' }));

  app.post(MESSAGES, async (req, res) => {
    if (!activityEnvelope.safeParse(req.body).success) {
      deps.logger.warn('http.messages.malformed', { bodyType: typeof req.body });
      res.status(400).end();
      return;
    }
    try {
      await deps.adapter.process(req, res, (turn) => deps.bot.handle(turn));
    } catch (error) {
      deps.logger.error('http.messages.failed', errorFields(error));
      if (!res.headersSent) res.status(500).end();
    }
  });

  app.get('/healthz', async (_req, res) => {
    try {
      await deps.checkStorage();
      res.status(200).json({ status: 'ok', storage: 'ok' });
    } catch (error) {
      deps.logger.warn('health.storage.unavailable', errorFields(error));
      res.status(503).json({ status: 'unavailable', storage: 'unavailable' });
    }
  });

  app.get('/readyz', (_req, res) => {
    const { ready, status } = deps.lifecycle.readiness();
    res.status(ready ? 200 : 503).json({ status });
  });

  app.get('/integritet', (_req, res) => {
    res.type('html').send(privacyPage);
  });
  app.get('/villkor', (_req, res) => {
    res.type('html').send(termsPage);
  });

  return app;
}

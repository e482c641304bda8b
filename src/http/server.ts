import express, { type Express } from 'express';
import type { CloudAdapter } from 'botbuilder';
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
    const state = deps.lifecycle.state;
    res.status(state === 'ready' ? 200 : 503).json({ status: state });
  });

  app.get('/integritet', (_req, res) => {
    res.type('html').send(privacyPage);
  });
  app.get('/villkor', (_req, res) => {
    res.type('html').send(termsPage);
  });

  return app;
}

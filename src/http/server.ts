import express, { type Express } from 'express';
import type { CloudAdapter } from 'botbuilder';
import type { Bot } from '../bot/bot.js';
import { errorFields, type Logger } from '../log.js';

export interface HttpDeps {
  readonly adapter: CloudAdapter;
  readonly bot: Bot;
  readonly logger: Logger;
  /** Resolves when storage answers, rejects when it does not. */
  readonly checkStorage: () => Promise<void>;
}

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '512kb' }));

  app.post('/api/messages', async (req, res) => {
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

  return app;
}

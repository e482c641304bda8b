import express, {
  type ErrorRequestHandler,
  type Express,
  type Request,
  type Response,
} from 'express';
import { z } from 'zod';
import { answerFirst } from '../background.js';
import type { ActivityReceiver } from '../bot/receiver.js';
import { errorFields, type Logger } from '../log.js';
import { recordHttpRequest } from '../telemetry/telemetry.js';
import { precheckBearer } from './bearer-precheck.js';
import { mountDownloads, type DownloadRoute } from './downloads.js';
import { privacyPage, termsPage } from './legal-pages.js';
import type { ServerLifecycle } from './lifecycle.js';

export interface HttpDeps {
  readonly receive: ActivityReceiver;
  readonly logger: Logger;
  /** Resolves when storage answers, rejects when it does not. */
  readonly checkStorage: () => Promise<void>;
  readonly lifecycle: ServerLifecycle;
  /** Serves the bot's single-use download links when present. */
  readonly downloads?: DownloadRoute;
  /** The bot's app id; when set, every POST must carry a Bot Framework token for it. */
  readonly appId?: string;
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
const BODY_LIMIT = '512kb';

/** Short JSON answers: never a stack, a file path or an upstream address. */
const fail = (res: Response, status: number, error: string) => {
  if (res.headersSent) return;
  res.status(status).type('application/json').send(JSON.stringify({ error }));
};

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('env', 'production');

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

  app.all(MESSAGES, (req, res, next) => {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      fail(res, 405, 'method-not-allowed');
      return;
    }
    if (!req.is('application/json')) {
      fail(res, 415, 'unsupported-media-type');
      return;
    }
    if (deps.appId) {
      const problem = precheckBearer(
        req.headers.authorization,
        deps.appId,
        Math.floor(Date.now() / 1000),
      );
      if (problem) {
        deps.logger.warn('http.messages.unauthorized', { reason: problem });
        fail(res, 401, 'unauthorized');
        return;
      }
    }
    next();
  });
  app.use(MESSAGES, express.json({ limit: BODY_LIMIT, strict: true }));

  app.post(MESSAGES, async (req, res) => {
    if (!activityEnvelope.safeParse(req.body).success) {
      deps.logger.warn('http.messages.malformed', { bodyType: typeof req.body });
      fail(res, 400, 'bad-request');
      return;
    }
    await processActivity(deps, req, res);
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
  if (deps.downloads) mountDownloads(app, deps.downloads);

  app.use((_req, res) => fail(res, 404, 'not-found'));
  app.use(errorHandler(deps));
  return app;
}

async function processActivity(deps: HttpDeps, req: Request, res: Response): Promise<void> {
  await answerFirst(
    () => deps.receive(req.headers.authorization ?? '', req.body as object),
    (received) => answer(res, received),
  );
}

function answer(res: Response, received: Awaited<ReturnType<ActivityReceiver>>): void {
  if (res.headersSent) return;
  switch (received.kind) {
    case 'answered':
      res.status(received.status);
      if (received.body !== undefined) res.json(received.body);
      else res.end();
      return;
    case 'unauthorized':
      return fail(res, 401, 'unauthorized');
    case 'auth-unavailable':
      return fail(res, 503, 'authentication-unavailable');
    case 'failed':
      return fail(res, 500, 'internal-error');
    default: {
      const unreachable: never = received;
      throw new Error(`Unhandled outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

function errorHandler(deps: HttpDeps): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const type = (error as { type?: unknown } | null)?.type;
    const status = (error as { status?: unknown } | null)?.status;
    deps.logger.warn('http.request.refused', {
      type: typeof type === 'string' ? type : 'other',
      status: typeof status === 'number' ? status : 500,
    });
    if (type === 'entity.too.large') return fail(res, 413, 'payload-too-large');
    if (type === 'entity.parse.failed') return fail(res, 400, 'malformed-json');
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return fail(res, 415, 'unsupported-media-type');
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return fail(res, status, 'bad-request');
    }
    deps.logger.error('http.request.failed', errorFields(error));
    fail(res, 500, 'internal-error');
  };
}

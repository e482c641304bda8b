import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CardPoster } from './bot/post-once.js';
import type { ProactiveMessenger } from './bot/proactive.js';
import { createReceiver } from './bot/receiver.js';
import { servedTenantIds, type AppConfig } from './config.js';
import { ServerLifecycle } from './http/lifecycle.js';
import { createHttpApp } from './http/server.js';
import { createLogger, errorFields, type Logger } from './log.js';
import { ReminderService } from './reminders/reminders.service.js';
import { ReminderScheduler } from './reminders/scheduler.js';
import { createTableStore } from './storage/table-store.js';
import { type CaseUseCases } from './cases/case-use-cases.js';
import { RetentionService } from './retention/retention.service.js';

import { wire } from './wiring/wire.js';

export { wire, type Wired } from './wiring/wire.js';

/** How often an instance checks whether today's gallring has run and carries over cases. */
const PERIODIC_TICK_MS = 10 * 60_000;

export interface RunningApp {
  readonly url: string;
  readonly port: number;
  readonly proactive: ProactiveMessenger;
  /** "Post once" cards: one post per card key across instances, kept up to date. */
  readonly poster: CardPoster;
  readonly scheduler: ReminderScheduler;
  readonly reminders: ReminderService;
  readonly cases: CaseUseCases;
  readonly retention: RetentionService;
  /** Runs the reconciliation of meeting reminders that the periodic tick runs. */
  readonly reconcileMeetings: () => Promise<unknown>;
  /** Resolves when the follow-up work of earlier requests (card updates) is done. */
  idle(): Promise<void>;
  /**
   * Reports draining on `/readyz`, lets the turns under way finish (at most the configured
   * grace), stops the scheduler, closes the listener and waits for the follow-up work.
   */
  stop(): Promise<void>;
}

export interface AppOptions {
  readonly logger?: Logger;
  readonly now?: () => Date;
  /** Whether the client behind a service URL takes Teams' file consent (default: not loopback). */
  readonly takesFileConsent?: (serviceUrl: string) => boolean;
  /** Fetch for file uploads to and downloads from Teams (tests point it at a local fake). */
  readonly fetch?: typeof fetch;
}

/** The composition root: builds every dependency from configuration and starts listening. */
export async function startApp(config: AppConfig, options: AppOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? (() => new Date());
  const store = createTableStore(config.storage, config.tablePrefix);
  let url = '';
  const wired = await wire(config, store, {
    logger,
    now,
    baseUrl: () => url,
    ...(options.takesFileConsent ? { takesFileConsent: options.takesFileConsent } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const {
    bot,
    adapter,
    proactive,
    scheduler,
    reminders,
    background,
    cases,
    retention,
    participants,
    downloads,
    sweepCaseYears,
    reconcileMeetings,
  } = wired;

  const lifecycle = new ServerLifecycle();
  const http = createHttpApp({
    receive: createReceiver(adapter, bot, logger),
    logger,
    checkStorage: () => store.ping(),
    lifecycle,
    downloads,
    ...(config.auth.kind === 'none' ? {} : { appId: config.auth.appId }),
  });
  const server: Server = await new Promise((resolve, reject) => {
    const listening = http.listen(config.port, config.host, () => resolve(listening));
    listening.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  if (config.scheduler.enabled) {
    scheduler.start(config.scheduler.tickMs);
    lifecycle.watch('scheduler', () => !scheduler.stalled());
  }
  const periodicTimer = config.scheduler.enabled
    ? setInterval(() => {
        if (config.retention.enabled) {
          retention.runDaily().catch((error: unknown) => {
            logger.error('retention.daily.failed', errorFields(error));
          });
        }
        cases
          .carryOverAll()
          .then(() => sweepCaseYears())
          .catch((error: unknown) => {
            logger.error('cases.carryOver.failed', errorFields(error));
          });
        reconcileMeetings().catch((error: unknown) => {
          logger.error('meetings.reconcile.failed', errorFields(error));
        });
        participants.finishPending().catch((error: unknown) => {
          logger.error('participants.finishPending.failed', errorFields(error));
        });
      }, PERIODIC_TICK_MS).unref()
    : undefined;
  lifecycle.markReady();
  logger.info('app.started', {
    env: config.env,
    port,
    auth: config.auth.kind,
    tenants: servedTenantIds(config).length,
    scheduler: config.scheduler.enabled,
  });

  return {
    url,
    port,
    proactive,
    poster: wired.poster,
    scheduler,
    reminders,
    idle: () => background.idle(),
    cases,
    retention,
    reconcileMeetings,
    async stop() {
      if (periodicTimer) clearInterval(periodicTimer);
      lifecycle.beginDrain();
      const [drained] = await Promise.all([
        lifecycle.drained(config.shutdownGraceMs),
        scheduler.stop(),
      ]);
      if (!drained) logger.warn('app.drain.timeout', { inFlight: lifecycle.inFlight });
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
        if (!drained) server.closeAllConnections();
      });
      await background.idle();
    },
  };
}

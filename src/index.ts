import { hostname } from 'node:os';
import { startApp } from './app.js';
import { exitOnConfigError, loadConfig, servedTenantIds } from './config.js';
import { createLogger, errorFields } from './log.js';
import { appVersion } from './status/version.js';
import { startAzureMonitor, type RunningTelemetry } from './telemetry/providers.js';

/** Process entry point: parse configuration, start, and stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    exitOnConfigError(error);
  }
  const logger = createLogger(config.logLevel);
  if (config.auth.kind === 'none') {
    logger.warn('app.local-mode', {
      note: 'LOCAL MODE: no Bot Framework credentials, requests are NOT authenticated. Never expose this port.',
    });
  }
  if (servedTenantIds(config).length === 0) {
    logger.warn('app.all-tenants', {
      note: 'ALLOWED_TENANT_IDS and TENANT_ORGANISATIONS are empty: every tenant is served (local mode only).',
    });
  }
  let telemetry: RunningTelemetry | undefined;
  if (config.telemetry.connectionString) {
    telemetry = startAzureMonitor(config.telemetry.connectionString, {
      serviceName: 'finsam-bot',
      serviceVersion: appVersion(),
      instanceId: `${hostname()}-${process.pid}`,
    });
  }
  logger.info('app.telemetry', { exporter: telemetry ? 'application-insights' : 'none' });
  const app = await startApp(config, { logger });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn('app.stop.forced', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('app.stopping', { signal, graceMs: config.shutdownGraceMs });
    const deadline = setTimeout(() => {
      logger.error('app.stop.timeout', { signal });
      process.exit(1);
    }, config.shutdownGraceMs + 10_000);
    deadline.unref();
    try {
      await app.stop();
      await telemetry?.shutdown();
      logger.info('app.stopped', { signal });
      process.exit(0);
    } catch (error) {
      logger.error('app.stop.failed', errorFields(error));
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Boten kunde inte starta: ${JSON.stringify(errorFields(error))}\n`);
  process.exit(1);
});

import { startApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger, errorFields } from './log.js';

/** Process entry point: parse configuration, start, and stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nBoten startas inte.\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  if (config.auth.kind === 'none') {
    logger.warn('app.local-mode', {
      note: 'LOCAL MODE: no Bot Framework credentials, requests are NOT authenticated. Never expose this port.',
    });
  }
  if (config.allowedTenantIds.length === 0) {
    logger.warn('app.all-tenants', {
      note: 'ALLOWED_TENANT_IDS is empty: every tenant is served (local mode only).',
    });
  }
  const app = await startApp(config, { logger });
  const shutdown = async (signal: string) => {
    logger.info('app.stopping', { signal });
    await app.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Boten kunde inte starta: ${JSON.stringify(errorFields(error))}\n`);
  process.exit(1);
});

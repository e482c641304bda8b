import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/log.js';

export interface TestBot extends RunningApp {
  readonly tablePrefix: string;
  readonly logLines: string[];
  /** POSTs an activity to /api/messages and returns the HTTP status and parsed body. */
  post(
    activity: object,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: unknown }>;
}

/** A table prefix no other test file uses, so files share one Azurite without seeing each other. */
export function uniquePrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/**
 * Starts the real bot (HTTP endpoint, teams-ai, storage) on a free loopback port against the
 * run's Azurite. `env` overrides the environment the config is parsed from.
 */
export async function startTestBot(
  env: Record<string, string> = {},
  options: { now?: () => Date } = {},
): Promise<TestBot> {
  const tablePrefix = env.TABLE_PREFIX ?? uniquePrefix();
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'info',
    STORAGE_CONNECTION_STRING: inject('tableConnectionString'),
    TABLE_PREFIX: tablePrefix,
    SCHEDULER_ENABLED: 'false',
    CARD_UPDATE_DELAY_MS: '0',
    ...env,
  });
  const logLines: string[] = [];
  const logger: Logger = createLogger(config.logLevel, (line) => logLines.push(line));
  const app = await startApp(config, { logger, ...(options.now ? { now: options.now } : {}) });
  return {
    ...app,
    tablePrefix,
    logLines,
    async post(activity, headers = {}) {
      const response = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      const isJson = response.headers.get('content-type')?.includes('json') ?? false;
      return {
        status: response.status,
        body: isJson && text ? (JSON.parse(text) as unknown) : text,
      };
    },
  };
}

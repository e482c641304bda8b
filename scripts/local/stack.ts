import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/log.js';
import { startAzurite, type RunningAzurite } from './azurite.js';
import { PLAYGROUND_TENANT_ID, PLAYGROUND_USERS, startPlayground } from './playground.js';

export interface LocalStackOptions {
  /** Folder for Azurite's data; omitted, data is kept in memory only. */
  readonly dataDir?: string;
  readonly azuritePort?: number;
  readonly botPort?: number;
  readonly playgroundPort?: number;
  readonly logger?: Logger;
  /** Environment to read the rest of the configuration from. */
  readonly env?: Record<string, string | undefined>;
}

export interface LocalStack {
  readonly bot: RunningApp;
  readonly playgroundUrl: string;
  readonly storageConnectionString: string;
  stop(): Promise<void>;
}

/**
 * The whole product on one machine: Azurite's Table service, the bot in local mode (no
 * credentials, loopback only), and the Agents Playground as the Teams client.
 * The Playground's tenant is the only one allowed, and its first user is an admin.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const part of started.reverse()) await part.stop();
  };
  try {
    const azurite: RunningAzurite = await startAzurite({
      ...(options.dataDir ? { location: options.dataDir } : {}),
      port: options.azuritePort ?? 0,
    });
    started.push(azurite);

    const config = loadConfig({
      ...options.env,
      APP_ENV: 'local',
      HOST: '127.0.0.1',
      PORT: String(options.botPort ?? 3978),
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      ALLOWED_TENANT_IDS: options.env?.ALLOWED_TENANT_IDS ?? PLAYGROUND_TENANT_ID,
      BOOTSTRAP_ADMIN_IDS: options.env?.BOOTSTRAP_ADMIN_IDS ?? PLAYGROUND_USERS[0]!.aadObjectId,
    });
    const bot = await startApp(config, { logger: options.logger ?? createLogger(config.logLevel) });
    started.push(bot);

    const playground = await startPlayground({
      botEndpoint: `${bot.url}/api/messages`,
      port: options.playgroundPort ?? 56150,
    });
    started.push(playground);

    return {
      bot,
      playgroundUrl: playground.url,
      storageConnectionString: azurite.connectionString,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

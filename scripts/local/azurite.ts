import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** The account name and key every Azurite instance accepts (public, documented development key). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

interface AzuriteTableServer {
  start(): Promise<void>;
  close(): Promise<void>;
  clean(): Promise<void>;
  getHttpServerAddress(): string;
}

export interface RunningAzurite {
  readonly port: number;
  readonly connectionString: string;
  /** Stops gracefully, so on-disk data is flushed. */
  stop(): Promise<void>;
}

export function azuriteConnectionString(port: number, host = '127.0.0.1'): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `TableEndpoint=http://${host}:${port}/${AZURITE_ACCOUNT};`
  );
}

/**
 * Starts Azurite's Table service in this process on 127.0.0.1.
 * @param options.location a folder to keep data in; omitted, data lives in memory only.
 * @param options.port 0 picks a free port.
 */
export async function startAzurite(
  options: { location?: string; port?: number } = {},
): Promise<RunningAzurite> {
  const TableServer = require('azurite/dist/src/table/TableServer').default;
  const TableConfiguration = require('azurite/dist/src/table/TableConfiguration').default;
  const inMemory = options.location === undefined;
  if (options.location) mkdirSync(options.location, { recursive: true });
  const dbPath = join(options.location ?? '.', '__azurite_db_table__.json');
  const config = new TableConfiguration(
    '127.0.0.1',
    options.port ?? 0,
    undefined,
    dbPath,
    false,
    false,
    undefined,
    undefined,
    false,
    false,
    '',
    '',
    '',
    undefined,
    false,
    inMemory,
  );
  const server: AzuriteTableServer = new TableServer(config);
  await server.start();
  const address = server.getHttpServerAddress();
  const port = Number(new URL(address).port);
  let stopped = false;
  return {
    port,
    connectionString: azuriteConnectionString(port),
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
    },
  };
}

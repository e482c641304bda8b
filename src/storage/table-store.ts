import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import type { StorageConfig } from '../config.js';

/** Every table the bot uses, by its logical name. */
export const TABLE_NAMES = [
  'organisations',
  'members',
  'conversations',
  'cardMessages',
  'audit',
  'reminders',
  'meetings',
  'occurrences',
  'decisions',
  'actionItems',
  'cases',
  'caseIndex',
  'caseQueue',
  'caseStatistics',
  'retention',
  'participants',
  'participantKeys',
  'fileOffers',
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

export interface TableStore {
  client(name: TableName): TableClient;
  /** Creates missing tables; existing ones are left alone. */
  ensureTables(): Promise<void>;
  /** Resolves when storage answers a cheap read within the timeout, rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
}

/**
 * How long one storage request may stay unanswered. Without it a storage that stops answering
 * (lost packets rather than refused connections) holds every request open past Teams' 15-second
 * invoke limit; with it the user gets the "storage unavailable" message in time.
 */
const REQUEST_TIMEOUT_MS = 4_000;

const clientOptions: TableServiceClientOptions = {
  retryOptions: { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 1000 },
  additionalPolicies: [
    {
      position: 'perRetry',
      policy: {
        name: 'requestTimeout',
        sendRequest: (request, next) => {
          request.timeout = REQUEST_TIMEOUT_MS;
          return next(request);
        },
      },
    },
  ],
};

/**
 * Connects to Azure Table Storage, Cosmos DB for Table or Azurite.
 * @remarks An account URL uses `DefaultAzureCredential` (managed identity in Azure, named by
 * `AZURE_CLIENT_ID` when it is user-assigned), so no account key is needed in production;
 * connection strings are for local runs and Azurite.
 */
export function createTableStore(storage: StorageConfig, prefix: string): TableStore {
  const clients = new Map<TableName, TableClient>();
  const credential =
    storage.kind === 'accountUrl'
      ? new DefaultAzureCredential(
          storage.managedIdentityClientId
            ? { managedIdentityClientId: storage.managedIdentityClientId }
            : {},
        )
      : undefined;
  const physicalName = (name: TableName) => `${prefix}${name[0]!.toUpperCase()}${name.slice(1)}`;

  const client = (name: TableName): TableClient => {
    let existing = clients.get(name);
    if (!existing) {
      existing =
        storage.kind === 'accountUrl'
          ? new TableClient(storage.accountUrl, physicalName(name), credential!, clientOptions)
          : TableClient.fromConnectionString(storage.connectionString, physicalName(name), {
              ...clientOptions,
              allowInsecureConnection: isInsecure(storage.connectionString),
            });
      clients.set(name, existing);
    }
    return existing;
  };

  return {
    client,
    async ensureTables() {
      await Promise.all(TABLE_NAMES.map((name) => client(name).createTable()));
    },
    async ping(timeoutMs = 2000) {
      const abortSignal = AbortSignal.timeout(timeoutMs);
      const pages = client('organisations')
        .listEntities({ queryOptions: { select: ['PartitionKey'] }, abortSignal })
        .byPage({ maxPageSize: 1 });
      await pages.next();
    },
  };
}

function isInsecure(connectionString: string): boolean {
  return (
    /UseDevelopmentStorage=true/i.test(connectionString) ||
    /Endpoint=http:\/\//i.test(connectionString)
  );
}

import { inject } from 'vitest';
import { wire } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { reminderTable } from '../../src/storage/reminder-table.js';
import { TENANT_ID } from './activities.js';
import { startBotProcess, type BotProcess } from './bot-process.js';
import { ADMIN_IDS, admin } from './meeting-setup.js';
import { storeFor } from './table-snapshot.js';

/** The environment of a bot process in the fault suites: one tenant, one bootstrap admin. */
export function faultBotEnv(
  tablePrefix: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    STORAGE_CONNECTION_STRING: inject('tableConnectionString'),
    TABLE_PREFIX: tablePrefix,
    ALLOWED_TENANT_IDS: TENANT_ID,
    BOOTSTRAP_ADMIN_IDS: ADMIN_IDS,
    SCHEDULER_ENABLED: 'false',
    CARD_UPDATE_DELAY_MS: '0',
    ...overrides,
  };
}

/** Starts the bot as its own process, as production does, with {@link faultBotEnv}. */
export function startFaultBot(
  tablePrefix: string,
  overrides: Record<string, string> = {},
): Promise<BotProcess> {
  return startBotProcess(faultBotEnv(tablePrefix, overrides));
}

/** Stores one custom reminder per title, all due at the same instant `inMs` from now. */
export async function seedDueReminders(
  tablePrefix: string,
  conversationId: string,
  titles: readonly string[],
  inMs: number,
  idTag = 'faults',
): Promise<void> {
  const reminders = reminderTable(storeFor(tablePrefix));
  const dueAt = new Date(Date.now() + inMs).toISOString();
  const createdAt = new Date().toISOString();
  await Promise.all(
    titles.map((title, n) =>
      reminders.create({
        id: `${idTag}.${tablePrefix}.${n}`,
        kind: 'custom',
        conversationId,
        dueAt,
        title,
        text: '',
        ownerId: admin.id,
        state: 'scheduled',
        attempts: 0,
        createdAt,
        createdBy: admin.id,
      }),
    ),
  );
}

/**
 * Runs the periodic reconciliation of meeting reminders once against a fault suite's storage,
 * as an instance's tick does: what a crash between a commit and its follow-up left out is
 * repaired.
 */
export async function reconcileMeetingsOnce(tablePrefix: string): Promise<unknown> {
  const env = faultBotEnv(tablePrefix);
  const config = loadConfig({ ...env, PORT: '0' });
  const wired = await wire(config, createTableStore(config.storage, config.tablePrefix), {
    logger: createLogger('silent'),
    now: () => new Date(),
  });
  return wired.reconcileMeetings();
}

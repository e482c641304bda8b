import { inject } from 'vitest';
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

import { TableClient, type TransactionAction } from '@azure/data-tables';
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { azuriteConnectionString } from '../../scripts/local/azurite.js';
import { wire } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { reminderKeys } from '../../src/storage/reminder-table.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { BOT } from '../../test/support/activities.js';
import { freshPrefix, type BenchContext } from '../support/context.js';
import { PRODUCTION_NODE_FLAGS } from '../support/bot.js';
import { projectRoot } from '../../scripts/local/playground.js';
import { DUE, reminder, tickConversation, type TickInput, type TickResult } from './tick-shared.js';

export type { TickResult } from './tick-shared.js';

/** Loads `count` future reminders, 100 to a transaction (one hourly partition each). */
async function seedFuture(ctx: BenchContext, tableName: string, count: number): Promise<void> {
  const table = TableClient.fromConnectionString(ctx.azurite.connectionString, tableName, {
    allowInsecureConnection: true,
  });
  const firstHour = Date.now() + 2 * 3_600_000;
  const batches = Array.from({ length: Math.ceil(count / 100) }, (_, b) => b);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const actions: TransactionAction[] = [];
        for (let i = 0; i < 100 && batch * 100 + i < count; i++) {
          const n = 1_000_000 + batch * 100 + i;
          const dueAt = new Date(firstHour + batch * 3_600_000 + i * 1_000).toISOString();
          const row = reminder(n, dueAt, `19:bench-future@thread.tacv2`);
          actions.push(['create', { ...reminderKeys(row), ...row }]);
        }
        await table.submitTransaction(actions);
      }
    }),
  );
}

/**
 * bench/tick-process.ts as plain JavaScript (its own bench modules bundled in, packages and the
 * bot's compiled modules imported as they are), so the tick process runs on plain Node like the
 * bot in production: no TypeScript loader in its memory or CPU time.
 */
async function tickProcessScript(): Promise<string> {
  const outfile = join(projectRoot, 'bench', 'tick-process.out.mjs');
  await build({
    entryPoints: [join(projectRoot, 'bench', 'tick-process.ts')],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
  });
  return outfile;
}

/**
 * Scheduler ticks with DUE reminders due (each to its own channel, so Teams' per-thread rate
 * limit does not dominate) and `stored` more due later, through the real scheduler and delivery.
 * Storage is seeded here; the ticks run in a process of their own (bench/tick-process.ts) behind
 * its own counting proxy, so its CPU time and memory are the scheduler's alone. Table operations
 * are counted for the whole tick: watermark, due query, claims, `sending` marks, settlements and
 * the conversation references (target: ≤ 20).
 */
export async function measureTick(ctx: BenchContext, stored: number): Promise<TickResult> {
  const prefix = freshPrefix();
  const config = loadConfig({
    STORAGE_CONNECTION_STRING: azuriteConnectionString(ctx.azurite.port),
    TABLE_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    SCHEDULER_ENABLED: 'false',
  });
  const store = createTableStore(config.storage, prefix);
  const seeding = await wire(config, store, {
    logger: createLogger('silent'),
    now: () => new Date(),
  });
  for (let n = 0; n < DUE; n++) {
    await seeding.conversations.remember({
      reference: {
        serviceUrl: ctx.connector.url,
        channelId: 'msteams',
        conversation: { id: tickConversation(n), conversationType: 'channel' },
        bot: BOT,
      },
      kind: 'channel',
      tenantId: ctx.tenantId,
    });
  }
  if (stored > 0) await seedFuture(ctx, `${prefix}Reminders`, stored);
  const input: TickInput = { azuritePort: ctx.azurite.port, prefix, stored };
  // Asynchronously: the Bot Connector the ticks post to runs in this process.
  const { stdout: output } = await promisify(execFile)(
    process.execPath,
    [...PRODUCTION_NODE_FLAGS, await tickProcessScript(), JSON.stringify(input)],
    { cwd: projectRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  const last = output.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as TickResult;
}

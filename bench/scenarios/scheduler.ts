import { TableClient, type TransactionAction } from '@azure/data-tables';
import { azuriteConnectionString } from '../../scripts/local/azurite.js';
import { wire } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { Reminder } from '../../src/reminders/reminders.schema.js';
import { reminderKeys, reminderTable } from '../../src/storage/reminder-table.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { BOT } from '../../test/support/activities.js';
import { freshPrefix, type BenchContext } from '../support/context.js';
import { cpuMs, memoryWindow } from '../support/process-stats.js';

export interface TickResult {
  readonly stored: number;
  readonly due: number;
  readonly sent: number;
  /** The whole tick: finding the due reminders, claiming, posting and settling them. */
  readonly tickMs: number;
  /** Only the query for what is due. */
  readonly dueQueryMs: number;
  /** Table operations of a tick (median), with the conversation references cached. */
  readonly tableOps: number;
  /** Table operations of the first tick of a fresh instance, which reads the references. */
  readonly coldTableOps: number;
  /** CPU time of the ticking process per tick (median), in milliseconds. */
  readonly cpuMs: number;
  /**
   * Peak resident memory of the ticking process over the ticks. The scheduler runs inside the
   * benchmark's own process here, so this includes the load driver, proxy and connector.
   */
  readonly rssMiB: number;
}

const DUE = 200;
/** Ticks measured per setting; the median is reported. */
const ROUNDS = 3;

function reminder(n: number, dueAt: string, conversationId: string): Reminder {
  return {
    id: `bench.tick.${n}`,
    kind: 'custom',
    conversationId,
    dueAt,
    title: `Påminnelse ${n}`,
    text: '',
    ownerId: '29:bench-1',
    state: 'scheduled',
    attempts: 0,
    createdAt: new Date().toISOString(),
    createdBy: '29:bench-1',
  };
}

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
 * Scheduler ticks with DUE reminders due (each to its own channel, so Teams' per-thread rate
 * limit does not dominate) and `stored` more due later, through the real scheduler and delivery.
 * Table operations are counted at the storage proxy for the whole tick: watermark, due query,
 * claims, `sending` marks, settlements and the conversation references (target: ≤ 20).
 */
export async function measureTick(ctx: BenchContext, stored: number): Promise<TickResult> {
  const prefix = freshPrefix();
  const config = loadConfig({
    STORAGE_CONNECTION_STRING: azuriteConnectionString(ctx.proxy.port),
    TABLE_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    SCHEDULER_ENABLED: 'false',
  });
  const store = createTableStore(config.storage, prefix);
  const options = { logger: createLogger('silent'), now: () => new Date() };
  const seeding = await wire(config, store, options);
  const conversationOf = (n: number) => `19:bench-tick-${n}@thread.tacv2`;
  for (let n = 0; n < DUE; n++) {
    await seeding.conversations.remember({
      reference: {
        serviceUrl: ctx.connector.url,
        channelId: 'msteams',
        conversation: { id: conversationOf(n), conversationType: 'channel' },
        bot: BOT,
      },
      kind: 'channel',
      tenantId: ctx.tenantId,
    });
  }
  if (stored > 0) await seedFuture(ctx, `${prefix}Reminders`, stored);
  // The ticking instance is another one: it has not heard from these conversations itself.
  const wired = await wire(config, store, options);
  const repository = reminderTable(store);
  const rounds: {
    tickMs: number;
    dueQueryMs: number;
    tableOps: number;
    cpuMs: number;
    due: number;
    sent: number;
  }[] = [];
  const memory = memoryWindow('self');
  for (let round = 0; round < ROUNDS; round++) {
    const dueAt = new Date(Date.now() - 30_000).toISOString();
    await Promise.all(
      Array.from({ length: DUE }, (_, n) =>
        repository.create(reminder(round * DUE + n, dueAt, conversationOf(n))),
      ),
    );
    let started = performance.now();
    await repository.due(new Date(Date.now() - 3_600_000), new Date(), ['scheduled']);
    const dueQueryMs = performance.now() - started;
    const opsBefore = ctx.proxy.count;
    const cpuBefore = cpuMs('self');
    started = performance.now();
    const report = await wired.scheduler.tick();
    rounds.push({
      tickMs: performance.now() - started,
      cpuMs: cpuMs('self') - cpuBefore,
      dueQueryMs,
      tableOps: ctx.proxy.count - opsBefore,
      due: report.due,
      sent: report.sent,
    });
  }
  const median = (pick: (r: (typeof rounds)[number]) => number) =>
    [...rounds.map(pick)].sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
  return {
    stored,
    due: median((r) => r.due),
    sent: median((r) => r.sent),
    tickMs: Math.round(median((r) => r.tickMs)),
    dueQueryMs: Math.round(median((r) => r.dueQueryMs) * 10) / 10,
    tableOps: median((r) => r.tableOps),
    coldTableOps: rounds[0]!.tableOps,
    cpuMs: median((r) => r.cpuMs),
    rssMiB: memory.peakMiB(),
  };
}

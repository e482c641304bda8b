import type * as App from '../src/app.js';
import type * as Config from '../src/config.js';
import type * as Log from '../src/log.js';
import type * as Reminders from '../src/storage/reminder-table.js';
import type * as Tables from '../src/storage/table-store.js';
import { azuriteConnectionString } from '../scripts/local/azurite.js';
import {
  DUE,
  reminder,
  ROUNDS,
  tickConversation,
  type TickInput,
  type TickResult,
} from './scenarios/tick-shared.js';
import { startCountingProxy } from './support/counting-proxy.js';
import { cpuMs, memoryWindow } from './support/process-stats.js';

/** The bot as production runs it: its compiled modules (the benchmark builds them first). */
const compiled = <T>(path: string) =>
  import(new URL(`../dist/${path}`, import.meta.url).href) as Promise<T>;

/**
 * The scheduler ticks of one setting, in a process of their own (started by `measureTick`):
 * a fresh instance, as after a restart, ticks ROUNDS times with DUE reminders due; the result is
 * printed as one JSON line.
 */
async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as TickInput;
  const { wire } = await compiled<typeof App>('app.js');
  const { loadConfig } = await compiled<typeof Config>('config.js');
  const { createLogger } = await compiled<typeof Log>('log.js');
  const { reminderTable } = await compiled<typeof Reminders>('storage/reminder-table.js');
  const { createTableStore } = await compiled<typeof Tables>('storage/table-store.js');
  const proxy = await startCountingProxy(input.azuritePort);
  try {
    const config = loadConfig({
      STORAGE_CONNECTION_STRING: azuriteConnectionString(proxy.port),
      TABLE_PREFIX: input.prefix,
      LOG_LEVEL: 'silent',
      SCHEDULER_ENABLED: 'false',
    });
    const store = createTableStore(config.storage, input.prefix);
    const wired = await wire(config, store, {
      logger: createLogger('silent'),
      now: () => new Date(),
    });
    const repository = reminderTable(store);
    const rounds: Omit<TickResult, 'stored' | 'coldTableOps' | 'rssMiB'>[] = [];
    const memory = memoryWindow('self');
    for (let round = 0; round < ROUNDS; round++) {
      const dueAt = new Date(Date.now() - 30_000).toISOString();
      await Promise.all(
        Array.from({ length: DUE }, (_, n) =>
          repository.create(reminder(round * DUE + n, dueAt, tickConversation(n))),
        ),
      );
      let started = performance.now();
      await repository.due(new Date(Date.now() - 3_600_000), new Date(), ['scheduled']);
      const dueQueryMs = performance.now() - started;
      const opsBefore = proxy.count;
      const cpuBefore = cpuMs('self');
      started = performance.now();
      const report = await wired.scheduler.tick();
      rounds.push({
        tickMs: performance.now() - started,
        cpuMs: cpuMs('self') - cpuBefore,
        dueQueryMs,
        tableOps: proxy.count - opsBefore,
        due: report.due,
        sent: report.sent,
      });
    }
    const median = (pick: (r: (typeof rounds)[number]) => number) =>
      [...rounds.map(pick)].sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
    const result: TickResult = {
      stored: input.stored,
      due: median((r) => r.due),
      sent: median((r) => r.sent),
      tickMs: Math.round(median((r) => r.tickMs)),
      dueQueryMs: Math.round(median((r) => r.dueQueryMs) * 10) / 10,
      tableOps: median((r) => r.tableOps),
      coldTableOps: rounds[0]!.tableOps,
      cpuMs: median((r) => r.cpuMs),
      rssMiB: memory.peakMiB(),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await proxy.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

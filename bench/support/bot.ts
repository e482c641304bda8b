import { azuriteConnectionString } from '../../scripts/local/azurite.js';
import { startBotProcess, type BotProcess } from '../../test/support/bot-process.js';
import type { BenchContext } from './context.js';
import { BENCH_LANSDELAR } from '../scenarios/participants.js';

/** How production runs the bot: the compiled `dist/index.js`. */
export const PRODUCTION_ENTRY = ['dist/index.js'];

/** The bot as its own production-built process, on the counted storage, scheduler off. */
export function startBenchBot(ctx: BenchContext, tablePrefix: string): Promise<BotProcess> {
  return startBotProcess(
    {
      STORAGE_CONNECTION_STRING: azuriteConnectionString(ctx.proxy.port),
      TABLE_PREFIX: tablePrefix,
      ALLOWED_TENANT_IDS: ctx.tenantId,
      BOOTSTRAP_ADMIN_IDS: ctx.users.map((u) => u.aadObjectId).join(','),
      SCHEDULER_ENABLED: 'false',
      LOG_LEVEL: 'info',
      LANSDELAR: JSON.stringify(BENCH_LANSDELAR),
    },
    30_000,
    PRODUCTION_ENTRY,
  );
}

/** Polls /healthz until it answers 200. */
export async function waitHealthy(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${url}/healthz`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} did not become healthy`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

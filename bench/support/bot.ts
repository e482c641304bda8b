import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { azuriteConnectionString } from '../../scripts/local/azurite.js';
import { projectRoot } from '../../scripts/local/playground.js';
import { startBotProcess, type BotProcess } from '../../test/support/bot-process.js';
import type { BenchContext } from './context.js';
import { BENCH_LANSDELAR } from '../scenarios/participants.js';

/** How production runs the bot: `npm run serve`'s command (App Service runs the same). */
export const PRODUCTION_COMMAND = (
  JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts.serve!;
/** The arguments after `node` in that command. */
export const PRODUCTION_ENTRY = PRODUCTION_COMMAND.split(' ').slice(1);
/** Production's options to Node (the heap cap), for processes that run the bot's modules. */
export const PRODUCTION_NODE_FLAGS = PRODUCTION_ENTRY.filter((arg) => arg.startsWith('--'));

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

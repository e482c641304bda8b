import { startBenchBot, waitHealthy } from '../support/bot.js';
import { freshPrefix, type BenchContext } from '../support/context.js';
import { latencyStats, type LatencyStats } from '../support/stats.js';

/**
 * From spawning the production command (`npm run serve`'s) to the first 200 from /healthz, on
 * empty storage.
 */
export async function measureColdStart(ctx: BenchContext, runs = 3): Promise<LatencyStats> {
  const samples: number[] = [];
  for (let n = 0; n < runs; n++) {
    const started = performance.now();
    const bot = await startBenchBot(ctx, freshPrefix());
    await waitHealthy(bot.url);
    samples.push(performance.now() - started);
    await bot.kill('SIGTERM');
  }
  return latencyStats(samples);
}

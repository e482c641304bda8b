import { latencyStats, type LatencyStats } from './stats.js';

export interface LevelResult {
  readonly users: number;
  readonly latency: LatencyStats;
  /** Completed actions per second over the level's wall-clock time. */
  readonly throughput: number;
  readonly errors: number;
  readonly durationMs: number;
}

/**
 * Runs `perUser` actions for each of `users` concurrent virtual users, each user's actions one
 * after another, and measures every action. Stops early when `maxMs` has passed.
 */
export async function runLevel(
  users: number,
  perUser: number,
  action: (user: number, iteration: number) => Promise<boolean>,
  maxMs = 60_000,
): Promise<LevelResult> {
  const samples: number[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: users }, async (_, user) => {
      for (let i = 0; i < perUser && performance.now() - started < maxMs; i++) {
        const before = performance.now();
        const ok = await action(user, i).catch(() => false);
        samples.push(performance.now() - before);
        if (!ok) errors++;
      }
    }),
  );
  const durationMs = performance.now() - started;
  return {
    users,
    latency: latencyStats(samples),
    throughput: Math.round((samples.length / durationMs) * 1000 * 10) / 10,
    errors,
    durationMs: Math.round(durationMs),
  };
}

/** How many uncounted actions each card-action scenario (and the echo bot) runs first. */
export const WARM_UP = { users: 8, perUser: 30 } as const;

/**
 * Runs {@link WARM_UP} actions and counts none of them: the process's hot code is then compiled
 * and optimised, as in a bot that has served for a while, and not while a level is measured.
 * The echo bot is warmed the same way, so the ratios compare like with like.
 */
export async function warmUp(
  action: (user: number, iteration: number) => Promise<boolean>,
): Promise<void> {
  const { errors } = await runLevel(WARM_UP.users, WARM_UP.perUser, action);
  if (errors > 0) throw new Error(`${errors} warm-up actions failed`);
}

/** POSTs a Bot Framework activity and resolves with the HTTP status and parsed body. */
export async function postActivity(
  url: string,
  activity: object,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

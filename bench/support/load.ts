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

import { isAppError } from './errors.js';

/**
 * Runs a read-modify-write step again when another writer got in between (`conflict` on a
 * stale version, `already-exists` on a racing create). Each attempt must read afresh.
 * @remarks Between attempts it waits a short, random, growing pause, so writers that collided
 * do not collide again in lockstep (measured: 36 simultaneous adds to one agenda).
 */
export async function retryOnConflict<T>(step: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      const raced = isAppError(error, 'conflict') || isAppError(error, 'already-exists');
      if (!raced || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** attempt));
    }
  }
}

import { isAppError } from './errors.js';

/**
 * Runs a read-modify-write step again when another writer got in between (`conflict` on a
 * stale version, `already-exists` on a racing create). Each attempt must read afresh.
 */
export async function retryOnConflict<T>(step: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      const raced = isAppError(error, 'conflict') || isAppError(error, 'already-exists');
      if (!raced || attempt >= attempts) throw error;
    }
  }
}

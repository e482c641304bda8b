import { AsyncLocalStorage } from 'node:async_hooks';
import { errorFields, type Logger } from './log.js';

/** Work held back while an answer is being made: started once it is sent. */
const answering = new AsyncLocalStorage<(() => void)[]>();

/**
 * Makes an answer: background work asked for while `make` runs starts only after `send` has
 * sent it, so that work never delays the answer nor competes with it for storage.
 */
export async function answerFirst<T>(
  make: () => Promise<T>,
  send: (made: T) => void,
): Promise<void> {
  const held: (() => void)[] = [];
  try {
    send(await answering.run(held, make));
  } finally {
    for (const start of held) start();
  }
}

/**
 * Work that follows a user's action but need not delay the answer to it, such as bringing a
 * posted card up to date for everyone. Runs for the same key are coalesced: while one runs,
 * further requests make it run once more afterwards, so the last state always wins and a burst
 * of clicks costs two runs, not one per click.
 */
export class BackgroundWork {
  private readonly lanes = new Map<string, { again: boolean }>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /**
   * Runs `work` soon (after the answer, when asked for while one is being made); a failure is
   * logged (by event name, never by content) and not retried. With `settleMs`, a lane stays open
   * that long after each run: the first request runs at once, and everything asked for in the
   * meantime costs one more run at the end, so a burst for the same key costs two runs.
   */
  coalesce(key: string, event: string, work: () => Promise<void>, settleMs = 0): void {
    const held = answering.getStore();
    if (held) {
      held.push(() => answering.exit(() => this.coalesce(key, event, work, settleMs)));
      return;
    }
    const lane = this.lanes.get(key);
    if (lane) {
      lane.again = true;
      return;
    }
    const fresh = { again: false };
    this.lanes.set(key, fresh);
    const run = (async () => {
      do {
        fresh.again = false;
        try {
          await work();
        } catch (error) {
          this.logger.warn(`${event}.failed`, errorFields(error));
        }
        if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
      } while (fresh.again);
      this.lanes.delete(key);
    })();
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Resolves when nothing is running, including work started while waiting. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

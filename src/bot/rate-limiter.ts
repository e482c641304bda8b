export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Teams' limits per bot and conversation: 7 per second, 8 per 2 s, 60 per 30 s. */
const WINDOWS: readonly { ms: number; max: number }[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
];

/** Spaces sends per conversation so this instance never exceeds Teams' thread limits. */
export class ConversationRateLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly clock: Clock = systemClock) {}

  /**
   * Resolves true when one more send to the conversation is allowed, and counts it. With a
   * `deadline` (in the clock's milliseconds) it resolves false at once, counting nothing, when
   * the next free slot would come later than that: a busy conversation then waits for a later
   * tick instead of holding up everyone else's messages.
   */
  acquire(conversationId: string, deadline?: number): Promise<boolean> {
    const previous = this.queues.get(conversationId) ?? Promise.resolve();
    const next = previous.then(() => this.waitForSlot(conversationId, deadline));
    this.queues.set(
      conversationId,
      next.catch(() => undefined),
    );
    return next;
  }

  private async waitForSlot(conversationId: string, deadline?: number): Promise<boolean> {
    for (;;) {
      const now = this.clock.now();
      const history = (this.sent.get(conversationId) ?? []).filter((at) => now - at < 30_000);
      let waitMs = 0;
      for (const window of WINDOWS) {
        const inWindow = history.filter((at) => now - at < window.ms);
        if (inWindow.length >= window.max) {
          waitMs = Math.max(waitMs, inWindow[inWindow.length - window.max]! + window.ms - now);
        }
      }
      if (deadline !== undefined && now + waitMs > deadline) return false;
      if (waitMs <= 0) {
        history.push(now);
        this.sent.set(conversationId, history);
        return true;
      }
      await this.clock.sleep(waitMs);
    }
  }
}

export type ServerState = 'starting' | 'ready' | 'draining';

/**
 * Whether this instance takes traffic, and the turns it is still handling.
 * @remarks A stopping instance reports `draining` on `/readyz` so the load balancer moves new
 * conversations elsewhere, while the turns already under way are allowed to finish.
 */
export class ServerLifecycle {
  private current: ServerState = 'starting';
  private active = 0;
  private idle: (() => void)[] = [];

  get state(): ServerState {
    return this.current;
  }

  get inFlight(): number {
    return this.active;
  }

  markReady(): void {
    if (this.current === 'starting') this.current = 'ready';
  }

  beginDrain(): void {
    this.current = 'draining';
  }

  /** Counts a request as in flight; call the returned function exactly once when it is done. */
  enter(): () => void {
    this.active++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.active--;
      if (this.active === 0) for (const resolve of this.idle.splice(0)) resolve();
    };
  }

  /** Resolves true when nothing is in flight, or false when `timeoutMs` passed first. */
  async drained(timeoutMs: number): Promise<boolean> {
    if (this.active === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.idle.push(() => resolve(true)));
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([idle, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

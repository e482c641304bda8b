export type ServerState = 'starting' | 'ready' | 'draining';

export interface Readiness {
  readonly ready: boolean;
  /** `ready`, `starting`, `draining`, or the name of the first check that fails (`scheduler`). */
  readonly status: string;
}

/**
 * Whether this instance takes traffic, and the turns it is still handling.
 * @remarks A stopping instance reports `draining` on `/readyz` so the load balancer moves new
 * conversations elsewhere, while the turns already under way are allowed to finish. Parts that
 * can get stuck without the process noticing (the reminder loop) register a check; while one
 * fails, `/readyz` answers 503 so the platform replaces the instance.
 */
export class ServerLifecycle {
  private current: ServerState = 'starting';
  private active = 0;
  private idle: (() => void)[] = [];
  private readonly checks = new Map<string, () => boolean>();

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

  /** Registers a part that is healthy while `healthy()` answers true. */
  watch(name: string, healthy: () => boolean): void {
    this.checks.set(name, healthy);
  }

  readiness(): Readiness {
    if (this.current !== 'ready') return { ready: false, status: this.current };
    for (const [name, healthy] of this.checks) {
      if (!healthy()) return { ready: false, status: name };
    }
    return { ready: true, status: 'ready' };
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

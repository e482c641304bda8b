import { addHours } from 'date-fns';
import { hasRole, type Principal } from '../access/access.schema.js';
import { forbidden, isAppError } from '../errors.js';
import type { StatusQueries } from './status.repository.js';

export const PENDING_WINDOW_HOURS = 24;

export interface StatusReport {
  readonly version: string;
  readonly env: 'local' | 'production';
  readonly telemetry: boolean;
  readonly checkedAt: Date;
  readonly storageReachable: boolean;
  /** Undefined when storage could not be asked. */
  readonly pendingReminders?: number;
  readonly staleConversations?: number;
}

export interface StatusDeps {
  readonly queries: StatusQueries;
  readonly version: string;
  readonly env: 'local' | 'production';
  readonly telemetry: boolean;
  readonly now: () => Date;
}

/** The operational state of this instance and the shared store, for administratörer. */
export class StatusService {
  constructor(private readonly deps: StatusDeps) {}

  async report(principal: Principal): Promise<StatusReport> {
    if (!hasRole(principal, 'admin')) {
      throw forbidden('Bara förbundets administratörer kan se driftstatus.');
    }
    const { queries, version, env, telemetry } = this.deps;
    const checkedAt = this.deps.now();
    const base = { version, env, telemetry, checkedAt };
    const reachable = await queries.ping().then(
      () => true,
      () => false,
    );
    if (!reachable) return { ...base, storageReachable: false };
    try {
      const [pendingReminders, staleConversations] = await Promise.all([
        queries.pendingReminders(checkedAt, addHours(checkedAt, PENDING_WINDOW_HOURS)),
        queries.staleConversations(),
      ]);
      return { ...base, storageReachable: true, pendingReminders, staleConversations };
    } catch (error) {
      if (isAppError(error, 'storage-unavailable')) return { ...base, storageReachable: false };
      throw error;
    }
  }
}

import type { DeliveryOutcome } from '../bot/delivery.js';
import { isAppError } from '../errors.js';
import { errorFields, type Logger } from '../log.js';
import { recordReminderLag } from '../telemetry/telemetry.js';
import type { Versioned } from '../versioned.js';
import type { ReminderRepository } from './reminders.repository.js';
import type { Reminder, ReminderRef } from './reminders.schema.js';

export type ReminderProblem = NonNullable<Reminder['problem']>;

export interface SchedulerDeps {
  readonly reminders: ReminderRepository;
  /**
   * Sends the reminder. `beforePost` must be awaited right before the first POST to Teams; when
   * it answers false the claim was lost and nothing may be sent.
   */
  readonly deliver: (
    reminder: Reminder,
    beforePost: () => Promise<boolean>,
  ) => Promise<DeliveryOutcome>;
  /** Tells the reminder's owner that it could not be delivered. */
  readonly report: (reminder: Reminder, problem: ReminderProblem) => Promise<void>;
  readonly now: () => Date;
  readonly instanceId: string;
  readonly logger: Logger;
  readonly settings: SchedulerSettings;
}

export interface SchedulerSettings {
  /** How late a reminder may still go out (e.g. after downtime); later ones are `missed`. */
  readonly graceMs: number;
  /** How long a claim holds; must exceed the worst-case delivery time with retries. */
  readonly leaseMs: number;
  /** How far back the very first tick looks when there is no watermark yet. */
  readonly firstLookbackMs: number;
  /** Tolerated clock difference between instances. */
  readonly clockSkewMs: number;
  /** Reminders delivered at once by one instance (different conversations run in parallel). */
  readonly concurrency: number;
  /** Ticks that may retry a reminder whose delivery retries ran out, before it fails. */
  readonly maxTickAttempts: number;
}

export const defaultSchedulerSettings: SchedulerSettings = {
  graceMs: 6 * 3_600_000,
  leaseMs: 120_000,
  firstLookbackMs: 14 * 86_400_000,
  clockSkewMs: 300_000,
  concurrency: 8,
  maxTickAttempts: 3,
};

export interface TickReport {
  due: number;
  sent: number;
  missed: number;
  failed: number;
  uncertain: number;
  retrying: number;
  elsewhere: number;
}

type Outcome = 'sent' | 'failed' | 'retrying' | 'elsewhere';

/**
 * Delivers due reminders exactly once across any number of bot instances.
 * @remarks The guarantee: a reminder is claimed with a conditional write (one instance wins),
 * marked `sending` only immediately before the POST, and `sent` after it. A crash while
 * `claimed` is retried by another instance after the lease (nothing went out). A crash while
 * `sending` (the POST's round trip) cannot be told apart from a delivered message, so that
 * reminder becomes `uncertain` and is reported instead of being sent a second time: at most
 * once, always; exactly once unless a process dies in the middle of a POST.
 */
export class ReminderScheduler {
  private running?: Promise<TickReport>;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Runs one tick; concurrent calls share the tick in progress. */
  tick(): Promise<TickReport> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  start(intervalMs: number): void {
    this.stopped = false;
    const loop = async () => {
      try {
        const report = await this.tick();
        if (report.due > 0) this.deps.logger.info('scheduler.tick', { ...report });
      } catch (error) {
        this.deps.logger.warn('scheduler.tick.failed', errorFields(error));
      }
      if (!this.stopped) this.timer = setTimeout(loop, intervalMs);
    };
    this.timer = setTimeout(loop, 0);
  }

  /**
   * Stops the loop and waits for the tick in progress. Reminders it has not started on are left
   * for another instance, and a claim not yet posted is handed back, so a graceful shutdown
   * leaves no lease behind for others to wait out.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Delivers one reminder now, whatever its due time (a samordnare's "skicka nu"). */
  async sendNow(
    ref: ReminderRef,
  ): Promise<'sent' | 'failed' | 'retrying' | 'elsewhere' | 'not-pending'> {
    const row = await this.deps.reminders.get(ref);
    if (!row || !['scheduled', 'paused'].includes(row.value.state)) return 'not-pending';
    return this.process(row, this.deps.now());
  }

  private async runTick(): Promise<TickReport> {
    const { reminders, settings } = this.deps;
    const now = this.deps.now();
    const mark = await reminders.watermark();
    const from = mark
      ? new Date(mark.value.getTime() - settings.clockSkewMs)
      : new Date(now.getTime() - settings.firstLookbackMs);
    const rows = await reminders.due(from, now, ['scheduled', 'claimed', 'sending']);
    const report: TickReport = {
      due: rows.length,
      sent: 0,
      missed: 0,
      failed: 0,
      uncertain: 0,
      retrying: 0,
      elsewhere: 0,
    };
    const unsettled: string[] = [];
    const work: Versioned<Reminder>[] = [];

    for (const row of rows) {
      const reminder = row.value;
      const leaseHeld = reminder.leaseUntil !== undefined && new Date(reminder.leaseUntil) > now;
      if (reminder.state === 'scheduled') {
        if (reminder.notBefore && new Date(reminder.notBefore) > now)
          unsettled.push(reminder.dueAt);
        else if (now.getTime() - new Date(reminder.dueAt).getTime() > settings.graceMs) {
          if (await this.settle(row, { state: 'missed', problem: 'missed' })) report.missed++;
        } else work.push(row);
      } else if (reminder.state === 'claimed') {
        if (leaseHeld) {
          unsettled.push(reminder.dueAt);
          report.elsewhere++;
        } else work.push(row);
      } else if (leaseHeld) {
        unsettled.push(reminder.dueAt);
        report.elsewhere++;
      } else if (await this.settle(row, { state: 'uncertain', problem: 'crashed-while-sending' })) {
        report.uncertain++;
      }
    }

    const outcomes = await inPool(work, settings.concurrency, async (row) => {
      const outcome: Outcome = this.stopped ? 'elsewhere' : await this.process(row, now);
      if (outcome === 'retrying' || outcome === 'elsewhere') unsettled.push(row.value.dueAt);
      return outcome;
    });
    for (const outcome of outcomes) report[outcome]++;

    const settledUntil = unsettled.length > 0 ? new Date(unsettled.sort()[0]!) : now;
    if (!mark || settledUntil.getTime() !== mark.value.getTime()) {
      await reminders.setWatermark(settledUntil, mark?.version);
    }
    return report;
  }

  private async process(row: Versioned<Reminder>, now: Date): Promise<Outcome> {
    const { reminders, settings, instanceId } = this.deps;
    let current: Versioned<Reminder>;
    try {
      current = await reminders.replace(
        {
          ...row.value,
          state: 'claimed',
          leaseOwner: instanceId,
          leaseUntil: new Date(now.getTime() + settings.leaseMs).toISOString(),
          attempts: row.value.attempts + 1,
        },
        row.version,
      );
    } catch (error) {
      if (isAppError(error, 'conflict')) return 'elsewhere';
      throw error;
    }

    const beforePost = async () => {
      try {
        if (this.stopped) {
          const { leaseOwner: _owner, leaseUntil: _until, ...rest } = current.value;
          await reminders.replace(
            { ...rest, state: 'scheduled', attempts: row.value.attempts },
            current.version,
          );
          return false;
        }
        current = await reminders.replace({ ...current.value, state: 'sending' }, current.version);
        return true;
      } catch (error) {
        if (isAppError(error, 'conflict')) return false;
        throw error;
      }
    };

    let outcome: DeliveryOutcome;
    try {
      outcome = await this.deps.deliver(current.value, beforePost);
    } catch (error) {
      this.deps.logger.warn('scheduler.deliver.failed', errorFields(error));
      outcome = { kind: 'retries-exhausted' };
    }
    if (current.value.state === 'claimed') return 'elsewhere';

    switch (outcome.kind) {
      case 'sent':
        await this.settle(current, {
          state: 'sent',
          activityId: outcome.activityId,
          sentAt: this.deps.now().toISOString(),
        });
        recordReminderLag(
          this.deps.now().getTime() - Date.parse(current.value.dueAt),
          current.value.kind,
        );
        return 'sent';
      case 'stale':
        await this.settle(current, { state: 'failed', problem: 'stale' });
        return 'failed';
      case 'unknown-conversation':
      case 'rejected':
        await this.settle(current, { state: 'failed', problem: 'rejected' });
        return 'failed';
      case 'aborted':
        return 'elsewhere';
      case 'retries-exhausted': {
        if (current.value.attempts < settings.maxTickAttempts) {
          const notBefore = new Date(this.deps.now().getTime() + 60_000 * current.value.attempts);
          await this.settle(
            current,
            { state: 'scheduled', notBefore: notBefore.toISOString() },
            false,
          );
          return 'retrying';
        }
        await this.settle(current, { state: 'failed', problem: 'retries-exhausted' });
        return 'failed';
      }
    }
  }

  /** Writes a final (or retry) state, drops the lease, and reports problems to the owner. */
  private async settle(
    row: Versioned<Reminder>,
    change: Partial<Reminder>,
    reportProblem = true,
  ): Promise<boolean> {
    const { leaseOwner: _owner, leaseUntil: _until, ...rest } = row.value;
    const next: Reminder = { ...rest, ...change };
    try {
      await this.deps.reminders.replace(next, row.version);
    } catch (error) {
      if (isAppError(error, 'conflict')) return false;
      throw error;
    }
    if (reportProblem && next.problem && next.state !== 'sent') {
      try {
        await this.deps.report(next, next.problem);
      } catch (error) {
        this.deps.logger.warn('scheduler.report.failed', errorFields(error));
      }
    }
    return true;
  }
}

async function inPool<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      results.push(await work(item));
    }
  });
  await Promise.all(workers);
  return results;
}

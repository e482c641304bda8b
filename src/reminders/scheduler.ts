import type { DeliveryOutcome } from '../bot/delivery.js';
import { isAppError } from '../errors.js';
import { errorFields } from '../log.js';
import { recordReminderLag } from '../telemetry/telemetry.js';
import type { Versioned } from '../versioned.js';
import {
  claimAll,
  final,
  inPoolByKey,
  release,
  settlement,
  writeAll,
  written,
  type Outcome,
  type Settlement,
} from './outbox.js';
import type { Reminder, ReminderRef } from './reminders.schema.js';
import type { DeliverOptions, SchedulerDeps, TickReport } from './scheduler-settings.js';
import { planTick, sendingWaves } from './tick-plan.js';

export type { ReminderProblem } from './outbox.js';
export {
  defaultSchedulerSettings,
  type DeliverOptions,
  type SchedulerDeps,
  type SchedulerSettings,
  type TickReport,
} from './scheduler-settings.js';

/**
 * Delivers due reminders once across any number of bot instances, in batches.
 * @remarks The protocol: due rows are claimed with a lease in entity-group transactions
 * (conditional on every row's ETag: one instance wins each batch), marked `sending` a group at
 * a time right before their POSTs, and settled (`sent`, or why not) in one transaction per
 * wave of up to 100. A crash while `claimed` costs nothing: another instance takes over after
 * the lease. A crash while `sending` cannot be told apart from a delivered message, so to a
 * shared conversation that row becomes `uncertain` and is reported instead of being sent twice
 * (to a person's own chat it is sent again). Every tick has a deadline, well inside the lease:
 * no POST starts after it, and each POST ends within the connector timeout, so a lease never
 * runs out under a POST that is still going. A tick with 200 due in one hour costs about 15
 * table operations.
 */
export class ReminderScheduler {
  private running?: Promise<TickReport>;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private intervalMs?: number;
  private lastTurnAt = Date.now();

  constructor(private readonly deps: SchedulerDeps) {}

  /** A tick starts no new send after this long. */
  get tickDeadlineMs(): number {
    const { leaseMs, sendTimeoutMs } = this.deps.settings;
    return Math.max(leaseMs / 2, 2 * sendTimeoutMs);
  }

  /** The lease written on a claim: it outlasts the tick's deadline and the last POST. */
  get effectiveLeaseMs(): number {
    const { leaseMs, sendTimeoutMs } = this.deps.settings;
    return Math.max(leaseMs, this.tickDeadlineMs + sendTimeoutMs + 5_000);
  }

  /**
   * True when the loop runs but no tick has ended for longer than a tick may take (its deadline,
   * the last POST, slow storage) plus three intervals: something without a timeout holds it up,
   * and `/readyz` says so. A tick that ends in an error (storage down) is not a stall: the loop
   * goes on, and `/healthz` reports storage.
   */
  stalled(at = Date.now()): boolean {
    if (this.intervalMs === undefined || this.stopped) return false;
    const { sendTimeoutMs, storageAllowanceMs } = this.deps.settings;
    const allowed = this.tickDeadlineMs + sendTimeoutMs + storageAllowanceMs + 3 * this.intervalMs;
    return at - this.lastTurnAt > allowed;
  }

  /** Runs one tick; concurrent calls share the tick in progress. */
  tick(): Promise<TickReport> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
      this.lastTurnAt = Date.now();
    });
    return this.running;
  }

  start(intervalMs: number): void {
    this.stopped = false;
    this.intervalMs = intervalMs;
    this.lastTurnAt = Date.now();
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
  ): Promise<'sent' | 'failed' | 'uncertain' | 'retrying' | 'elsewhere' | 'not-pending'> {
    const row = await this.deps.reminders.get(ref);
    if (!row || !['scheduled', 'paused'].includes(row.value.state)) return 'not-pending';
    const outcome = await this.sendOne(row, this.deps.now());
    if (outcome === 'deferred') return 'retrying';
    if (outcome === 'missed') return 'failed';
    return outcome;
  }

  private async runTick(): Promise<TickReport> {
    const { reminders, settings } = this.deps;
    const now = this.deps.now();
    const deadline = Date.now() + this.tickDeadlineMs;
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
      deferred: 0,
      elsewhere: 0,
    };
    const unsettled: string[] = [];
    const count = async (settlements: readonly Settlement[]) => {
      const done = await this.settle(settlements);
      for (const settled of settlements) {
        if (!done.has(settled) || settled.next.state === 'scheduled') {
          unsettled.push(settled.next.dueAt);
        }
        if (done.has(settled))
          report[settled.outcome === 'deferred' ? 'deferred' : settled.outcome]++;
      }
    };

    const rules =
      rows.length > 0 ? await this.deps.guarantees(rows.map((row) => row.value)) : new Map();
    const plan = planTick(
      rows,
      now,
      settings.graceMs,
      (reminder) => rules.get(reminder.conversationId) ?? 'at-most-once',
    );
    unsettled.push(...plan.waiting);
    report.elsewhere += plan.elsewhere;
    await count([
      ...plan.missed.map((row) => final(row, { state: 'missed', problem: 'missed' }, 'missed')),
      ...plan.uncertain.map((row) =>
        final(row, { state: 'uncertain', problem: 'crashed-while-sending' }, 'uncertain'),
      ),
    ]);

    const claimed = await this.claim(plan.claim, now);
    report.elsewhere += plan.claim.length - claimed.length;
    const claimedIds = new Set(claimed.map(({ row }) => row.value.id));
    for (const row of plan.claim) {
      if (!claimedIds.has(row.value.id)) unsettled.push(row.value.dueAt);
    }
    const blocked = new Set<string>();
    const waves = sendingWaves(
      claimed,
      ({ row }) => row.value,
      (reminder) => reminders.batchKey(reminder),
      settings.sendingGroup,
    );
    for (const wave of waves) {
      const settlements: Settlement[] = [];
      for (const group of wave) {
        if (this.stopped || Date.now() >= deadline) {
          settlements.push(...group.map(({ row, attemptsBefore }) => release(row, attemptsBefore)));
          continue;
        }
        settlements.push(...(await this.sendGroup(group, deadline, blocked)));
      }
      await count(settlements);
    }

    const settledUntil = unsettled.length > 0 ? new Date(unsettled.sort()[0]!) : now;
    if (!mark || settledUntil.getTime() !== mark.value.getTime()) {
      await reminders.setWatermark(settledUntil, mark?.version);
    }
    return report;
  }

  private claim(candidates: readonly Versioned<Reminder>[], now: Date) {
    return claimAll(this.deps.reminders, candidates, {
      now,
      leaseUntil: new Date(now.getTime() + this.effectiveLeaseMs).toISOString(),
      instanceId: this.deps.instanceId,
      graceMs: this.deps.settings.graceMs,
    });
  }

  /** Marks a group `sending` in one write, sends each, and says what each row becomes. */
  private async sendGroup(
    group: readonly { row: Versioned<Reminder>; attemptsBefore: number }[],
    deadline: number,
    blocked: Set<string>,
  ): Promise<Settlement[]> {
    const marked = written(
      group,
      await writeAll(
        this.deps.reminders,
        group.map(({ row }) => ({
          reminder: { ...row.value, state: 'sending' },
          version: row.version,
        })),
      ),
    );
    const lost = group.length - marked.length;
    if (lost > 0) this.deps.logger.warn('scheduler.sending.lost', { rows: lost });
    return inPoolByKey(
      marked,
      this.deps.settings.concurrency,
      ({ row }) => row.value.conversationId,
      async ({ item, row }) => {
        const conversationId = row.value.conversationId;
        if (blocked.has(conversationId)) return release(row, item.attemptsBefore);
        const outcome = await this.deliver(row.value, {
          deadline,
          beforePost: async () => !this.stopped && Date.now() < deadline,
        });
        if (['uncertain', 'retries-exhausted', 'deferred'].includes(outcome.kind)) {
          blocked.add(conversationId);
        }
        return settlement(
          row,
          outcome,
          this.deps.now(),
          this.deps.settings.maxTickAttempts,
          item.attemptsBefore,
        );
      },
    );
  }

  /** The single-row path of "skicka nu": claim, mark sending, send, settle. */
  private async sendOne(row: Versioned<Reminder>, now: Date): Promise<Outcome> {
    const { reminders, instanceId } = this.deps;
    let current: Versioned<Reminder>;
    try {
      current = await reminders.replace(
        {
          ...row.value,
          state: 'claimed',
          leaseOwner: instanceId,
          leaseUntil: new Date(now.getTime() + this.effectiveLeaseMs).toISOString(),
          attempts: row.value.attempts + 1,
        },
        row.version,
      );
    } catch (error) {
      if (isAppError(error, 'conflict')) return 'elsewhere';
      throw error;
    }
    let marked = false;
    const outcome = await this.deliver(current.value, {
      beforePost: async () => {
        try {
          current = await reminders.replace(
            { ...current.value, state: 'sending' },
            current.version,
          );
          marked = true;
          return true;
        } catch (error) {
          if (isAppError(error, 'conflict')) return false;
          throw error;
        }
      },
    });
    if (!marked && outcome.kind === 'aborted') return 'elsewhere';
    const settled = settlement(
      current,
      outcome,
      this.deps.now(),
      this.deps.settings.maxTickAttempts,
      row.value.attempts,
    );
    const done = await this.settle([settled]);
    return done.has(settled) ? settled.outcome : 'elsewhere';
  }

  private async deliver(reminder: Reminder, options: DeliverOptions): Promise<DeliveryOutcome> {
    try {
      return await this.deps.deliver(reminder, options);
    } catch (error) {
      this.deps.logger.warn('scheduler.deliver.failed', errorFields(error));
      return { kind: 'retries-exhausted' };
    }
  }

  /**
   * Writes the settlements (one transaction per batch key and 100 rows where possible) and
   * reports the problems of those written; a row another instance changed meanwhile is
   * theirs, and is neither counted nor reported here. Reports go to a person's own chat (at
   * least once, each attempt bounded by the connector timeout), past the tick's deadline if
   * need be: an owner is never left untold because the tick was busy.
   */
  private async settle(settlements: readonly Settlement[]): Promise<Set<Settlement>> {
    const results = await writeAll(
      this.deps.reminders,
      settlements.map(({ row, next }) => ({ reminder: next, version: row.version })),
    );
    const done = written(settlements, results).map(({ item }) => item);
    for (const settled of done) {
      if (settled.outcome === 'sent') {
        recordReminderLag(Date.now() - Date.parse(settled.next.dueAt), settled.next.kind);
      }
    }
    await Promise.all(
      done
        .filter((settled) => settled.problem && settled.next.state !== 'sent')
        .map(async ({ next, problem }) => {
          try {
            await this.deps.report(next, problem!);
          } catch (error) {
            this.deps.logger.warn('scheduler.report.failed', errorFields(error));
          }
        }),
    );
    return new Set(done);
  }
}

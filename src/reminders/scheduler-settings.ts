import type { DeliveryOutcome } from '../bot/delivery.js';
import type { Guarantee } from '../bot/delivery-rule.js';
import type { Logger } from '../log.js';
import type { ReminderProblem } from './outbox.js';
import type { ReminderRepository } from './reminders.repository.js';
import type { Reminder } from './reminders.schema.js';

export interface DeliverOptions {
  /** Awaited right before the first POST; false means nothing may be sent. */
  readonly beforePost?: () => Promise<boolean>;
  /** No attempt may start that could end after this instant (epoch milliseconds). */
  readonly deadline?: number;
}

export interface SchedulerDeps {
  readonly reminders: ReminderRepository;
  /** Sends the reminder by the delivery rule of its conversation. */
  readonly deliver: (reminder: Reminder, options: DeliverOptions) => Promise<DeliveryOutcome>;
  /** Tells the reminder's owner that it could not be (or perhaps was not) delivered. */
  readonly report: (reminder: Reminder, problem: ReminderProblem) => Promise<void>;
  /**
   * The delivery rule for each conversation the reminders go to, looked up in one go (this
   * also warms the conversation cache for the sends that follow).
   */
  readonly guarantees: (reminders: readonly Reminder[]) => Promise<Map<string, Guarantee>>;
  readonly now: () => Date;
  readonly instanceId: string;
  readonly logger: Logger;
  readonly settings: SchedulerSettings;
}

export interface SchedulerSettings {
  /** How late a reminder may still go out (e.g. after downtime); later ones are `missed`. */
  readonly graceMs: number;
  /** How long a claim holds at least (it is lengthened to cover the tick's deadline). */
  readonly leaseMs: number;
  /** How far back the very first tick looks when there is no watermark yet. */
  readonly firstLookbackMs: number;
  /** Tolerated clock difference between instances. */
  readonly clockSkewMs: number;
  /** Reminders delivered at once by one instance (at most one per conversation). */
  readonly concurrency: number;
  /** Ticks that may retry a reminder whose delivery retries ran out, before it fails. */
  readonly maxTickAttempts: number;
  /** The longest one call to the Bot Connector may take (its timeout). */
  readonly sendTimeoutMs: number;
  /** Reminders marked `sending` in one write: the most a crash can leave uncertain unsent. */
  readonly sendingGroup: number;
  /**
   * What storage may add to a tick before it counts as stalled: a storage call that does not
   * answer fails after its timeout and retries (about 13 s), and a tick makes a few in a row.
   */
  readonly storageAllowanceMs: number;
}

export const defaultSchedulerSettings: SchedulerSettings = {
  graceMs: 6 * 3_600_000,
  leaseMs: 120_000,
  firstLookbackMs: 14 * 86_400_000,
  clockSkewMs: 300_000,
  concurrency: 8,
  maxTickAttempts: 3,
  sendTimeoutMs: 10_000,
  sendingGroup: 25,
  storageAllowanceMs: 30_000,
};

export interface TickReport {
  due: number;
  sent: number;
  missed: number;
  failed: number;
  uncertain: number;
  retrying: number;
  deferred: number;
  elsewhere: number;
}

import type { Versioned } from '../versioned.js';
import type { Reminder, ReminderRef, ReminderState } from './reminders.schema.js';

export interface ReminderChange {
  readonly reminder: Reminder;
  /** The version the change was read at: the write is conditional on it. */
  readonly version: string;
}

export interface ReminderRepository {
  /** Fails with `already-exists` for the same id and due time: scheduling is idempotent. */
  create(reminder: Reminder): Promise<Versioned<Reminder>>;
  get(ref: ReminderRef): Promise<Versioned<Reminder> | undefined>;
  /** Fails with `conflict` when another instance changed it since `version`. */
  replace(reminder: Reminder, version: string): Promise<Versioned<Reminder>>;
  /**
   * Replaces many reminders in entity-group transactions: rows with the same {@link batchKey},
   * at most 100 to a transaction, each transaction all or nothing and conditional on every
   * row's version. The result has one entry per change, in order: the new version, or
   * `undefined` when that change's transaction was refused because some row in it had changed
   * (the caller may retry those one by one).
   */
  replaceMany(changes: readonly ReminderChange[]): Promise<(Versioned<Reminder> | undefined)[]>;
  /** Rows with the same key can be written in one transaction (they share a partition). */
  batchKey(ref: ReminderRef): string;
  /**
   * Reminders due in [from, to] in one of `states`. Reads only the due-time partitions of that
   * window, so its cost follows what is due, not what is stored.
   */
  due(from: Date, to: Date, states: readonly ReminderState[]): Promise<Versioned<Reminder>[]>;
  /** Reminders for one conversation due in [from, to], any state. */
  forConversation(conversationId: string, from: Date, to: Date): Promise<Reminder[]>;
  /** The time before which every reminder is settled (sent, missed, failed …). */
  watermark(): Promise<Versioned<Date> | undefined>;
  /** Moves the watermark; false when another instance moved it first. */
  setWatermark(at: Date, version: string | undefined): Promise<boolean>;
}

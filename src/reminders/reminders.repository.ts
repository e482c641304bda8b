import type { Versioned } from '../versioned.js';
import type { Reminder, ReminderRef, ReminderState } from './reminders.schema.js';

export interface ReminderRepository {
  /** Fails with `already-exists` for the same id and due time: scheduling is idempotent. */
  create(reminder: Reminder): Promise<Versioned<Reminder>>;
  get(ref: ReminderRef): Promise<Versioned<Reminder> | undefined>;
  /** Fails with `conflict` when another instance changed it since `version`. */
  replace(reminder: Reminder, version: string): Promise<Versioned<Reminder>>;
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

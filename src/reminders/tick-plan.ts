import type { Guarantee } from '../bot/delivery-rule.js';
import type { Versioned } from '../versioned.js';
import type { Reminder } from './reminders.schema.js';

export interface TickPlan {
  /** Rows this instance should claim and send. */
  readonly claim: Versioned<Reminder>[];
  /** Due longer ago than the grace window: marked missed and reported. */
  readonly missed: Versioned<Reminder>[];
  /** Left `sending` by an instance that stopped, at most once: marked uncertain and reported. */
  readonly uncertain: Versioned<Reminder>[];
  /** Due times still open (waiting for `notBefore`, or held by another instance). */
  readonly waiting: string[];
  /** Rows another instance holds a live lease on. */
  readonly elsewhere: number;
}

/**
 * Sorts the due rows of a tick by what must happen to them. Pure: the scheduler does the writes.
 * A `sending` row whose lease ran out was cut off mid-POST: to a shared conversation it becomes
 * uncertain (at most once), to a person's own chat it is sent again (at least once).
 */
export function planTick(
  rows: readonly Versioned<Reminder>[],
  now: Date,
  graceMs: number,
  guaranteeOf: (reminder: Reminder) => Guarantee,
): TickPlan {
  const plan = {
    claim: [] as Versioned<Reminder>[],
    missed: [] as Versioned<Reminder>[],
    uncertain: [] as Versioned<Reminder>[],
    waiting: [] as string[],
    elsewhere: 0,
  };
  for (const row of rows) {
    const reminder = row.value;
    const leaseHeld = reminder.leaseUntil !== undefined && new Date(reminder.leaseUntil) > now;
    if (reminder.state === 'scheduled') {
      if (reminder.notBefore && new Date(reminder.notBefore) > now) {
        plan.waiting.push(reminder.dueAt);
      } else if (now.getTime() - new Date(reminder.dueAt).getTime() > graceMs) {
        plan.missed.push(row);
      } else plan.claim.push(row);
    } else if (leaseHeld) {
      plan.waiting.push(reminder.dueAt);
      plan.elsewhere++;
    } else if (reminder.state === 'claimed' || guaranteeOf(reminder) === 'at-least-once') {
      plan.claim.push(row);
    } else {
      plan.uncertain.push(row);
    }
  }
  return plan;
}

/**
 * The order claimed rows are sent in: groups that can be marked `sending` in one write (same
 * batch key, at most `groupSize`), gathered into waves of at most 100 rows that are settled in
 * one write. Within a batch key the conversations take turns, so one busy conversation does not
 * fill a group while others wait.
 */
export function sendingWaves<T>(
  items: readonly T[],
  reminderOf: (item: T) => Reminder,
  batchKey: (reminder: Reminder) => string,
  groupSize: number,
  waveSize = 100,
): T[][][] {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const key = batchKey(reminderOf(item));
    const list = byKey.get(key);
    if (list) list.push(item);
    else byKey.set(key, [item]);
  }
  const waves: T[][][] = [];
  for (const keyed of byKey.values()) {
    const ordered = takeTurns(keyed, (item) => reminderOf(item).conversationId);
    for (let start = 0; start < ordered.length; start += waveSize) {
      const wave = ordered.slice(start, start + waveSize);
      const groups: T[][] = [];
      for (let at = 0; at < wave.length; at += groupSize)
        groups.push(wave.slice(at, at + groupSize));
      waves.push(groups);
    }
  }
  return waves;
}

/** Round robin over the items' keys, keeping each key's own order. */
function takeTurns<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const queues = new Map<string, T[]>();
  for (const item of items) {
    const queue = queues.get(keyOf(item));
    if (queue) queue.push(item);
    else queues.set(keyOf(item), [item]);
  }
  const result: T[] = [];
  while (result.length < items.length) {
    for (const queue of queues.values()) {
      const next = queue.shift();
      if (next !== undefined) result.push(next);
    }
  }
  return result;
}

import type { DeliveryOutcome } from '../bot/delivery.js';
import { isAppError } from '../errors.js';
import type { Versioned } from '../versioned.js';
import type { ReminderChange, ReminderRepository } from './reminders.repository.js';
import type { Reminder, REMINDER_PROBLEMS } from './reminders.schema.js';
import { planTick } from './tick-plan.js';

export type ReminderProblem = (typeof REMINDER_PROBLEMS)[number];
export type Outcome =
  'sent' | 'failed' | 'missed' | 'uncertain' | 'retrying' | 'deferred' | 'elsewhere';

/** What a row becomes after its send: the next row, the tick's count, and what to report. */
export interface Settlement {
  readonly row: Versioned<Reminder>;
  readonly next: Reminder;
  readonly outcome: Outcome;
  readonly problem?: ReminderProblem;
}

export function withoutLease(reminder: Reminder): Reminder {
  const { leaseOwner: _owner, leaseUntil: _until, ...rest } = reminder;
  return rest;
}

/** A claim handed back untouched: nothing was sent, the attempt does not count. */
export function release(row: Versioned<Reminder>, attempts: number): Settlement {
  const { notBefore: _notBefore, ...rest } = withoutLease(row.value);
  return { row, next: { ...rest, state: 'scheduled', attempts }, outcome: 'deferred' };
}

export function final(
  row: Versioned<Reminder>,
  change: Partial<Reminder>,
  outcome: Outcome,
): Settlement {
  const next = { ...withoutLease(row.value), ...change };
  return { row, next, outcome, ...(next.problem ? { problem: next.problem } : {}) };
}

/**
 * The delivery rule applied to a reminder's send (see `bot/delivery-rule.ts`): sent is sent;
 * refused for good fails and is reported; no clear answer at most once is uncertain and
 * reported, never sent again; refusals (and, at least once, unclear answers) wait for a later
 * tick until `maxTickAttempts`, then fail and are reported.
 */
export function settlement(
  row: Versioned<Reminder>,
  outcome: DeliveryOutcome,
  now: Date,
  maxTickAttempts: number,
  attemptsBefore: number,
): Settlement {
  const attempts = row.value.attempts;
  switch (outcome.kind) {
    case 'sent':
    case 'too-large':
      return final(
        row,
        { state: 'sent', activityId: outcome.activityId, sentAt: now.toISOString() },
        'sent',
      );
    case 'stale':
      return final(row, { state: 'failed', problem: 'stale' }, 'failed');
    case 'unknown-conversation':
    case 'rejected':
      return final(row, { state: 'failed', problem: 'rejected' }, 'failed');
    case 'uncertain':
      return final(row, { state: 'uncertain', problem: 'no-clear-answer' }, 'uncertain');
    case 'aborted':
    case 'deferred':
      return release(row, attemptsBefore);
    case 'retries-exhausted': {
      if (attempts < maxTickAttempts) {
        const notBefore = new Date(now.getTime() + 60_000 * attempts).toISOString();
        return final(row, { state: 'scheduled', notBefore }, 'retrying');
      }
      return outcome.unknown
        ? final(row, { state: 'uncertain', problem: 'unconfirmed' }, 'uncertain')
        : final(row, { state: 'failed', problem: 'retries-exhausted' }, 'failed');
    }
  }
}

/**
 * Writes many rows in as few transactions as the repository allows; rows whose transaction was
 * refused (another row in it had changed) are written one by one. Returns the new version per
 * change, or undefined where the row itself had changed: another instance owns it now.
 */
export async function writeAll(
  reminders: ReminderRepository,
  changes: readonly ReminderChange[],
): Promise<(Versioned<Reminder> | undefined)[]> {
  if (changes.length === 0) return [];
  const written = await reminders.replaceMany(changes);
  return Promise.all(
    written.map(async (result, index) => {
      if (result) return result;
      const change = changes[index]!;
      try {
        return await reminders.replace(change.reminder, change.version);
      } catch (error) {
        if (isAppError(error, 'conflict') || isAppError(error, 'not-found')) return undefined;
        throw error;
      }
    }),
  );
}

/** Pairs rows with the result of writing them, keeping those that were written. */
export function written<T>(
  items: readonly T[],
  results: readonly (Versioned<Reminder> | undefined)[],
): { item: T; row: Versioned<Reminder> }[] {
  return items.flatMap((item, index) => {
    const row = results[index];
    return row ? [{ item, row }] : [];
  });
}

/**
 * Runs `work` over `items` with at most `size` at a time and at most one at a time per key, so
 * a conversation that is slow or throttled occupies one worker, not all of them.
 */
export async function inPoolByKey<T, R>(
  items: readonly T[],
  size: number,
  keyOf: (item: T) => string,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  const waiting = [...items];
  const busy = new Set<string>();
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  while ((waiting.length > 0 && !failure) || running.size > 0) {
    const index = failure ? -1 : waiting.findIndex((item) => !busy.has(keyOf(item)));
    if (index >= 0 && running.size < size) {
      const item = waiting.splice(index, 1)[0]!;
      const key = keyOf(item);
      busy.add(key);
      const run: Promise<void> = work(item)
        .then(
          (result) => void results.push(result),
          (error: unknown) => void (failure ??= { error }),
        )
        .finally(() => {
          busy.delete(key);
          running.delete(run);
        });
      running.add(run);
    } else {
      await Promise.race(running);
    }
  }
  if (failure) throw failure.error;
  return results;
}

export interface Claimed {
  readonly row: Versioned<Reminder>;
  /** The attempts count before this claim, restored when the claim is handed back unused. */
  readonly attemptsBefore: number;
}

/**
 * Claims rows with a lease in as few transactions as possible. A refused transaction (another
 * instance changed one of its rows) is read again and the rows still free are tried once more;
 * what is lost is someone else's.
 */
export async function claimAll(
  reminders: ReminderRepository,
  candidates: readonly Versioned<Reminder>[],
  claim: { now: Date; leaseUntil: string; instanceId: string; graceMs: number },
): Promise<Claimed[]> {
  const attempt = async (rows: readonly Versioned<Reminder>[]) => {
    const results = await reminders.replaceMany(
      rows.map((row) => ({
        reminder: {
          ...row.value,
          state: 'claimed',
          leaseOwner: claim.instanceId,
          leaseUntil: claim.leaseUntil,
          attempts: row.value.attempts + 1,
        },
        version: row.version,
      })),
    );
    return { won: written(rows, results), lost: rows.filter((_, i) => !results[i]) };
  };
  const first = await attempt(candidates);
  let again: Versioned<Reminder>[] = [];
  if (first.lost.length > 0) {
    const dues = first.lost.map((row) => row.value.dueAt).sort();
    const lost = new Set(first.lost.map((row) => `${row.value.id}|${row.value.dueAt}`));
    const fresh = await reminders.due(new Date(dues[0]!), new Date(dues[dues.length - 1]!), [
      'scheduled',
      'claimed',
    ]);
    again = planTick(
      fresh.filter((row) => lost.has(`${row.value.id}|${row.value.dueAt}`)),
      claim.now,
      claim.graceMs,
      () => 'at-most-once',
    ).claim;
  }
  const second = again.length > 0 ? (await attempt(again)).won : [];
  return [...first.won, ...second].map(({ item, row }) => ({
    row,
    attemptsBefore: item.value.attempts,
  }));
}

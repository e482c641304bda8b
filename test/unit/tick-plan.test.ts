import { describe, expect, it } from 'vitest';
import { inPoolByKey, release, settlement } from '../../src/reminders/outbox.js';
import type { Reminder } from '../../src/reminders/reminders.schema.js';
import { planTick, sendingWaves } from '../../src/reminders/tick-plan.js';
import type { Versioned } from '../../src/versioned.js';

const now = new Date('2026-11-23T10:00:00Z');
const HOUR = 3_600_000;

function row(n: number, change: Partial<Reminder> = {}): Versioned<Reminder> {
  return {
    version: `v${n}`,
    value: {
      id: `test.plan.${n}`,
      kind: 'custom',
      conversationId: `19:kanal-${n % 3}@thread.tacv2`,
      dueAt: new Date(now.getTime() - 60_000).toISOString(),
      title: `Påminnelse ${n}`,
      text: '',
      ownerId: '29:anna',
      state: 'scheduled',
      attempts: 0,
      createdAt: now.toISOString(),
      createdBy: '29:anna',
      ...change,
    },
  };
}

const later = new Date(now.getTime() + 60_000).toISOString();
const earlier = new Date(now.getTime() - 1_000).toISOString();

describe('planning a scheduler tick', () => {
  it('when rows are in every state, then each goes where the protocol says', () => {
    const personal = (r: Reminder) =>
      r.conversationId.startsWith('a:') ? 'at-least-once' : 'at-most-once';
    const plan = planTick(
      [
        row(1),
        row(2, { notBefore: later }),
        row(3, { dueAt: new Date(now.getTime() - 7 * HOUR).toISOString() }),
        row(4, { state: 'claimed', leaseUntil: later }),
        row(5, { state: 'claimed', leaseUntil: earlier }),
        row(6, { state: 'sending', leaseUntil: later }),
        row(7, { state: 'sending', leaseUntil: earlier }),
        row(8, { state: 'sending', leaseUntil: earlier, conversationId: 'a:personal-anna' }),
      ],
      now,
      6 * HOUR,
      personal,
    );
    const ids = (rows: Versioned<Reminder>[]) => rows.map((r) => r.value.id);
    expect(ids(plan.claim)).toEqual(['test.plan.1', 'test.plan.5', 'test.plan.8']);
    expect(ids(plan.missed)).toEqual(['test.plan.3']);
    expect(ids(plan.uncertain)).toEqual(['test.plan.7']);
    expect(plan.elsewhere).toBe(2);
    expect(plan.waiting).toHaveLength(3);
  });

  it('when 230 rows in two hours go to three conversations, then groups share a batch key, hold at most 25, waves at most 100, and conversations take turns', () => {
    const rows = Array.from({ length: 230 }, (_, n) =>
      row(n, n >= 200 ? { dueAt: new Date(now.getTime() - 2 * HOUR).toISOString() } : {}),
    );
    const waves = sendingWaves(
      rows,
      (r) => r.value,
      (r) => r.dueAt.slice(0, 13),
      25,
    );
    expect(waves.map((wave) => wave.flat().length)).toEqual([100, 100, 30]);
    for (const wave of waves) {
      for (const group of wave) {
        expect(group.length).toBeLessThanOrEqual(25);
        expect(new Set(group.map((r) => r.value.dueAt.slice(0, 13))).size).toBe(1);
      }
    }
    const firstGroup = waves[0]![0]!.map((r) => r.value.conversationId);
    expect(firstGroup.slice(0, 3)).toEqual([
      '19:kanal-0@thread.tacv2',
      '19:kanal-1@thread.tacv2',
      '19:kanal-2@thread.tacv2',
    ]);
  });
});

describe('what a send makes of a reminder', () => {
  const claimed = row(1, { state: 'sending', attempts: 1, leaseOwner: 'i', leaseUntil: later });

  it('when it was sent, then it is sent with its activity id and the lease is gone', () => {
    const settled = settlement(claimed, { kind: 'sent', activityId: 'a-1' }, now, 3, 0);
    expect(settled.outcome).toBe('sent');
    expect(settled.next).toMatchObject({ state: 'sent', activityId: 'a-1' });
    expect(settled.next.leaseOwner).toBeUndefined();
  });

  it('when Teams gave no clear answer at most once, then it is uncertain and reported, never retried', () => {
    const settled = settlement(claimed, { kind: 'uncertain', status: 502 }, now, 3, 0);
    expect(settled).toMatchObject({ outcome: 'uncertain', problem: 'no-clear-answer' });
    expect(settled.next.state).toBe('uncertain');
  });

  it('when refusals ran out, then it waits for a later tick, and fails after the last tick', () => {
    const retry = settlement(claimed, { kind: 'retries-exhausted', status: 429 }, now, 3, 0);
    expect(retry.outcome).toBe('retrying');
    expect(retry.next.notBefore).toBeDefined();
    const last = row(1, { state: 'sending', attempts: 3 });
    expect(settlement(last, { kind: 'retries-exhausted' }, now, 3, 2).next).toMatchObject({
      state: 'failed',
      problem: 'retries-exhausted',
    });
    expect(
      settlement(last, { kind: 'retries-exhausted', unknown: true }, now, 3, 2).next,
    ).toMatchObject({ state: 'uncertain', problem: 'unconfirmed' });
  });

  it('when nothing was tried (deadline, stop), then the claim is handed back and the attempt does not count', () => {
    const back = release(claimed, 0);
    expect(back.next).toMatchObject({ state: 'scheduled', attempts: 0 });
    expect(back.next.leaseUntil).toBeUndefined();
    expect(settlement(claimed, { kind: 'deferred' }, now, 3, 0).next.attempts).toBe(0);
  });
});

describe('sending in a pool', () => {
  it('when one conversation has many items, then it holds one worker and the others keep going', async () => {
    const order: string[] = [];
    let inFlight = 0;
    let most = 0;
    const perKey = new Map<string, number>();
    const items = ['a1', 'a2', 'a3', 'a4', 'b1', 'c1', 'd1'];
    await inPoolByKey(
      items,
      3,
      (item) => item[0]!,
      async (item) => {
        const key = item[0]!;
        perKey.set(key, (perKey.get(key) ?? 0) + 1);
        expect(perKey.get(key)).toBe(1);
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(item);
        inFlight--;
        perKey.set(key, 0);
      },
    );
    expect(most).toBe(3);
    expect(order.indexOf('d1')).toBeLessThan(order.indexOf('a3'));
    expect([...order].sort()).toEqual([...items].sort());
  });
});

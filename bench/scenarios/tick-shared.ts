import type { Reminder } from '../../src/reminders/reminders.schema.js';

/** What the scheduler scenario and its ticking process share (no runtime import of the bot). */
export interface TickResult {
  readonly stored: number;
  readonly due: number;
  readonly sent: number;
  /** The whole tick: finding the due reminders, claiming, posting and settling them. */
  readonly tickMs: number;
  /** Only the query for what is due. */
  readonly dueQueryMs: number;
  /** Table operations of a tick (median), with the conversation references cached. */
  readonly tableOps: number;
  /** Table operations of the first tick of a fresh instance, which reads the references. */
  readonly coldTableOps: number;
  /** CPU time of the ticking process per tick (median), in milliseconds. */
  readonly cpuMs: number;
  /** Peak resident memory of the ticking process (the scheduler and its counting proxy). */
  readonly rssMiB: number;
}

/** What the ticking process is told: where storage is and what was seeded. */
export interface TickInput {
  readonly azuritePort: number;
  readonly prefix: string;
  readonly stored: number;
}

export const DUE = 200;
/** Ticks measured per setting; the median is reported. */
export const ROUNDS = 3;
export const tickConversation = (n: number) => `19:bench-tick-${n}@thread.tacv2`;

export function reminder(n: number, dueAt: string, conversationId: string): Reminder {
  return {
    id: `bench.tick.${n}`,
    kind: 'custom',
    conversationId,
    dueAt,
    title: `Påminnelse ${n}`,
    text: '',
    ownerId: '29:bench-1',
    state: 'scheduled',
    attempts: 0,
    createdAt: new Date().toISOString(),
    createdBy: '29:bench-1',
  };
}

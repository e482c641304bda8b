import type { CaseDeps } from '../case-ports.js';
import type { CaseSummary } from '../cases.schema.js';
import { sameInsats } from './enqueue-case.js';

export interface QueuePlace {
  readonly value: CaseSummary;
  readonly position: number;
}

export interface WaitingLists {
  readonly places: readonly QueuePlace[];
  /** The insatser that have a waiting list here, as they were stored. */
  readonly insatser: readonly string[];
  /** The stored name of the insats asked for, when any case waits for it. */
  readonly matched?: string;
}

/** The waiting list per insats, positions counted from 1 in the order cases joined it. */
export async function waitingList(
  deps: CaseDeps,
  conversationId: string,
  insats?: string,
): Promise<WaitingLists> {
  const queued = (await deps.store.open(conversationId))
    .filter((c) => c.status === 'iko' && c.queue)
    .sort(
      (a, b) =>
        a.queue!.insats.localeCompare(b.queue!.insats, 'sv') ||
        a.queue!.since.localeCompare(b.queue!.since) ||
        a.code.localeCompare(b.code),
    );
  const insatser: string[] = [];
  for (const c of queued) {
    if (!insatser.some((name) => sameInsats(name, c.queue!.insats))) insatser.push(c.queue!.insats);
  }
  const positions = new Map<string, number>();
  const places = queued
    .filter((c) => !insats || sameInsats(c.queue!.insats, insats))
    .map((value) => {
      const key = value.queue!.insats.normalize('NFC').toLocaleLowerCase('sv-SE');
      const position = (positions.get(key) ?? 0) + 1;
      positions.set(key, position);
      return { value, position };
    });
  const matched = insats ? insatser.find((name) => sameInsats(name, insats)) : undefined;
  return { places, insatser, ...(matched ? { matched } : {}) };
}

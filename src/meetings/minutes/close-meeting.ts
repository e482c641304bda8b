import type { Principal } from '../../access/access.schema.js';
import { invalidInput } from '../../errors.js';
import { carryOver, nextTarget, readWithNext } from '../agenda/carry-over.js';
import type { AgendaItem } from '../meetings.schema.js';
import { occurrenceOf, requireCoordinator } from '../series/rules.js';
import {
  auditOf,
  headerWrite,
  transact,
  type MeetingDeps,
  type OccurrenceRef,
  type Outcome,
} from '../series/unit-of-work.js';

export interface Closed {
  readonly alreadyClosed: boolean;
  readonly carriedTo?: string;
  readonly carried: number;
  readonly notCarried: readonly AgendaItem[];
}

/**
 * Closes a meeting (samordnare): items not handled move to the next meeting as far as its
 * 40-item cap allows (the rest are named on the minutes), in one transaction. Closing again
 * changes nothing.
 */
export function closeMeeting(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  requestKey: string,
): Promise<Outcome<Closed>> {
  requireCoordinator(actor);
  return transact(
    deps,
    () => readWithNext(deps, ref),
    `close|${requestKey}`,
    (state) => {
      const occurrence = occurrenceOf(state, ref.date);
      if (occurrence.state === 'closed') {
        return { result: { alreadyClosed: true, carried: 0, notCarried: [] } };
      }
      if (occurrence.state === 'cancelled') throw invalidInput('Mötet är inställt.');
      const notHandled = occurrence.items.filter((i) => i.status === 'active' && !i.handled);
      const next = nextTarget(state, ref.date);
      const moved =
        next && notHandled.length > 0 ? carryOver(state, ref.date, next, notHandled) : undefined;
      const at = state.now.toISOString();
      return {
        writes: [
          headerWrite(
            state,
            {
              ...occurrence.header,
              state: 'closed',
              closedAt: at,
              closedBy: actor.userId,
              closedByName: actor.displayName ?? '',
              ...(moved ? { carriedTo: moved.to, notCarried: moved.notCarried.length } : {}),
            },
            state.now,
          ),
          ...(moved?.writes ?? []),
        ],
        audit: [
          auditOf(actor, state.now, 'meetings.close', ref.meetingId, {
            date: ref.date,
            carried: moved?.carried.length ?? 0,
            notCarried: moved?.notCarried.length ?? notHandled.length,
          }),
        ],
        result: {
          alreadyClosed: false,
          ...(moved ? { carriedTo: moved.to } : {}),
          carried: moved?.carried.length ?? 0,
          notCarried: moved?.notCarried ?? notHandled,
        },
      };
    },
  );
}

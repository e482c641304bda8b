import type { Principal } from '../../access/access.schema.js';
import { invalidInput } from '../../errors.js';
import { localDateSchema } from '../../schedule/schedule.schema.js';
import { carryOver, nextTarget, readWithNext } from '../agenda/carry-over.js';
import { isOpenItem, occurrenceOf, requireCoordinator } from './rules.js';
import {
  auditOf,
  headerWrite,
  transact,
  type MeetingDeps,
  type OccurrenceRef,
  type Outcome,
} from './unit-of-work.js';

export interface Cancelled {
  readonly startsAt: string;
  readonly moved: number;
  readonly notMoved: number;
  readonly to?: string;
  readonly already: boolean;
}

/**
 * Cancels one meeting (samordnare). Its open items move to a later meeting (`toDate`, by
 * default the next one), marked as carried over, as far as the 40-item cap allows; everything in
 * one transaction.
 */
export function cancelOccurrence(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  rawTarget: string,
  requestKey: string,
): Promise<Outcome<Cancelled>> {
  requireCoordinator(actor);
  const toDate = rawTarget.trim() === '' ? undefined : rawTarget.trim();
  if (toDate !== undefined && !localDateSchema.safeParse(toDate).success) {
    throw invalidInput('Välj ett av seriens senare möten i listan.');
  }
  return transact(
    deps,
    () => readWithNext(deps, ref, toDate),
    `cancel|${requestKey}`,
    (state) => {
      const occurrence = occurrenceOf(state, ref.date);
      const base = { startsAt: occurrence.startsAt, moved: 0, notMoved: 0 };
      if (occurrence.state === 'closed') {
        throw invalidInput('Mötet är redan avslutat och kan inte ställas in.');
      }
      if (occurrence.state === 'cancelled') return { result: { ...base, already: true } };
      const open = occurrence.items.filter(isOpenItem);
      const target = nextTarget(state, ref.date, toDate);
      if (toDate && !target) {
        throw invalidInput('Punkterna kan bara flyttas till ett senare möte i samma serie.');
      }
      if (open.length > 0 && !target) {
        throw invalidInput(
          'Mötet har punkter men det finns inget senare möte att flytta dem till. Lägg till ett datum först.',
        );
      }
      const moved =
        target && open.length > 0 ? carryOver(state, ref.date, target, open) : undefined;
      const header = {
        ...occurrence.header,
        state: 'cancelled' as const,
        exception: { action: 'cancel' as const },
        ...(moved ? { carriedTo: moved.to, notCarried: moved.notCarried.length } : {}),
      };
      return {
        writes: [
          headerWrite(state, header, state.now),
          { op: 'replace', row: 'series', value: state.series, etag: state.rows.series.etag },
          ...(moved?.writes ?? []),
        ],
        audit: [
          auditOf(actor, state.now, 'meetings.cancel', ref.meetingId, {
            date: ref.date,
            moved: moved?.carried.length ?? 0,
            notMoved: moved?.notCarried.length ?? 0,
          }),
        ],
        result: {
          ...base,
          moved: moved?.carried.length ?? 0,
          notMoved: moved?.notCarried.length ?? 0,
          ...(moved ? { to: moved.to } : {}),
          already: false,
        },
      };
    },
  );
}

import type { Principal } from '../../access/access.schema.js';
import { invalidInput } from '../../errors.js';
import { localDateSchema, localTimeSchema } from '../../schedule/schedule.schema.js';
import { toInstant } from '../../schedule/local-time.js';
import { occurrenceOf, requireCoordinator, requireNotClosed } from './rules.js';
import {
  auditOf,
  headerWrite,
  readSeries,
  transact,
  windowFor,
  type MeetingDeps,
  type OccurrenceRef,
  type Outcome,
} from './unit-of-work.js';

/** Where a meeting moves from and to, so its reminders can follow. */
export interface Moved {
  readonly fromStart: string;
  readonly toStart: string;
  readonly toDate: string;
  readonly toTime?: string;
}

/**
 * Moves one meeting to another day and/or time (samordnare). The meeting keeps its agenda; the
 * change is its header's exception, written with the series header so two moves cannot both
 * take the same day.
 */
export function moveOccurrence(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  rawDate: string,
  rawTime: string,
  requestKey: string,
): Promise<Outcome<Moved>> {
  requireCoordinator(actor);
  const toDate = rawDate.trim();
  if (!localDateSchema.safeParse(toDate).success) {
    throw invalidInput('Datumet ska skrivas ÅÅÅÅ-MM-DD, till exempel 2027-03-10.');
  }
  const toTime = rawTime.trim() === '' ? undefined : rawTime.trim();
  if (toTime !== undefined && !localTimeSchema.safeParse(toTime).success) {
    throw invalidInput('Tiden ska skrivas TT:MM, till exempel 09:00.');
  }
  return transact(
    deps,
    () => {
      const window = windowFor(ref.date, deps.now());
      const headsFrom = toDate < window.headsFrom ? toDate : window.headsFrom;
      return readSeries(deps, ref, { ...window, headsFrom });
    },
    `move|${requestKey}`,
    (state) => {
      const occurrence = occurrenceOf(state, ref.date);
      requireNotClosed(occurrence);
      const planned = state.plannedOn(ref.date)!;
      const start = toInstant(toDate, toTime ?? planned.time);
      if (start <= state.now) throw invalidInput('Den nya tiden har redan passerat.');
      const from = ref.date < toDate ? ref.date : toDate;
      const clash = state
        .planned(from)
        .some(
          (o) =>
            o.key !== ref.date &&
            o.date === toDate &&
            (o.status === 'planned' || o.status === 'moved'),
        );
      if (clash) throw invalidInput(`Serien har redan ett möte ${toDate}. Välj en annan dag.`);
      const result: Moved = {
        fromStart: occurrence.startsAt,
        toStart: start.toISOString(),
        toDate,
        ...(toTime ? { toTime } : {}),
      };
      if (occurrence.startsAt === result.toStart) return { result };
      return {
        writes: [
          headerWrite(
            state,
            {
              ...occurrence.header,
              startsAt: result.toStart,
              exception: { action: 'move', toDate, ...(toTime ? { toTime } : {}) },
            },
            state.now,
          ),
          { op: 'replace', row: 'series', value: state.series, etag: state.rows.series.etag },
        ],
        audit: [
          auditOf(actor, state.now, 'meetings.move', ref.meetingId, { date: ref.date, toDate }),
        ],
        result,
      };
    },
  );
}

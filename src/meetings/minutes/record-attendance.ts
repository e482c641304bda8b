import type { Principal } from '../../access/access.schema.js';
import { invalidInput } from '../../errors.js';
import { occurrenceOf, requireCoordinator, requireNotClosed } from '../series/rules.js';
import {
  auditOf,
  headerWrite,
  readSeries,
  transact,
  windowFor,
  type MeetingDeps,
  type OccurrenceRef,
  type Outcome,
} from '../series/unit-of-work.js';

/** Records which organisations are present (samordnare); the same list again writes nothing. */
export function recordAttendance(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
  raw: string,
  knownOrganisations: ReadonlySet<string>,
  requestKey: string,
): Promise<Outcome<{ changed: boolean }>> {
  requireCoordinator(actor);
  const ids = [...new Set(raw.split(',').filter((id) => id !== ''))].sort();
  if (ids.some((id) => !knownOrganisations.has(id))) {
    throw invalidInput('En organisation finns inte längre. Välj i listan.');
  }
  return transact(
    deps,
    () => readSeries(deps, ref, windowFor(ref.date, deps.now())),
    `attendance|${requestKey}`,
    (state) => {
      const occurrence = occurrenceOf(state, ref.date);
      requireNotClosed(occurrence);
      if (occurrence.attendance?.join(',') === ids.join(',')) return { result: { changed: false } };
      return {
        writes: [headerWrite(state, { ...occurrence.header, attendance: ids }, state.now)],
        audit: [
          auditOf(actor, state.now, 'meetings.attendance', ref.meetingId, {
            date: ref.date,
            present: ids.length,
          }),
        ],
        result: { changed: true },
      };
    },
  );
}

import type { Principal } from '../../access/access.schema.js';
import { requireCoordinator } from '../series/rules.js';
import type { SeriesState } from '../series/series-state.js';
import {
  readSeries,
  windowFor,
  type MeetingDeps,
  type OccurrenceRef,
} from '../series/unit-of-work.js';

/** The meeting as the samordnare runs it: attendance, notes, decisions (samordnare only). */
export async function openMeeting(
  deps: MeetingDeps,
  actor: Principal,
  ref: OccurrenceRef,
): Promise<SeriesState> {
  requireCoordinator(actor, 'Bara samordnare kan föra protokoll.');
  return readSeries(deps, ref, windowFor(ref.date, deps.now()));
}

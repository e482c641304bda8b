import { addDays, toLocal } from '../../schedule/local-time.js';
import { SeriesState } from '../series/series-state.js';
import type { MeetingDeps, OccurrenceRef } from '../series/unit-of-work.js';

/** A Teams meeting may start this long before the planned time and still be that meeting. */
const EARLY_START_MS = 60 * 60_000;
/** A Teams meeting may end this long after the planned end and still be that meeting. */
const LATE_END_MS = 4 * 60 * 60_000;

/**
 * The meeting of a series in `conversationId` that a Teams meeting starting or ending at `at`
 * is: for a start, one still open whose planned slot (from an hour before) holds `at`; for an
 * end, one not cancelled that started before `at` and was planned to end at most four hours
 * before it. The nearest planned start wins; undefined when no series meeting fits (an ad hoc
 * call in the channel).
 */
export async function meetingAt(
  deps: MeetingDeps,
  conversationId: string,
  at: Date,
  kind: 'start' | 'end',
): Promise<OccurrenceRef | undefined> {
  const day = toLocal(at).date;
  const ids = await deps.repo.seriesIn(conversationId);
  const found: { ref: OccurrenceRef; distance: number }[] = [];
  await Promise.all(
    ids.map(async (meetingId) => {
      const rows = await deps.repo.load(
        { conversationId, meetingId },
        { headsFrom: addDays(day, -1) },
      );
      if (!rows) return;
      const state = new SeriesState(rows, deps.now());
      for (const planned of state.planned(addDays(day, -1), 2)) {
        if (planned.status === 'cancelled' || planned.status === 'skipped') continue;
        const stateNow = state.headerOf(planned).state;
        const start = planned.start.getTime();
        const end = planned.end.getTime();
        const fits =
          kind === 'start'
            ? stateNow === 'planned' && start - EARLY_START_MS <= at.getTime() && at.getTime() < end
            : stateNow !== 'cancelled' &&
              start <= at.getTime() &&
              at.getTime() <= end + LATE_END_MS;
        if (fits) {
          found.push({
            ref: { conversationId, meetingId, date: planned.key },
            distance: Math.abs(start - at.getTime()),
          });
        }
      }
    }),
  );
  found.sort((a, b) => a.distance - b.distance);
  return found[0]?.ref;
}

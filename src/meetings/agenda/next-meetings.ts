import { addDays, toLocal } from '../../schedule/local-time.js';
import { LOOKBACK_DAYS, SeriesState } from '../series/series-state.js';
import type { MeetingDeps, OccurrenceRef } from '../series/unit-of-work.js';

/** A meeting that still takes agenda items. */
export interface NextMeeting {
  readonly ref: OccurrenceRef;
  readonly seriesName: string;
  readonly startsAt: Date;
}

/**
 * The next meeting of each series in a channel or chat that still takes agenda items (held, not
 * started, not closed), soonest first: where a message can become an agenda item.
 */
export async function nextMeetings(
  deps: MeetingDeps,
  conversationId: string,
): Promise<NextMeeting[]> {
  const now = deps.now();
  const from = addDays(toLocal(now).date, -LOOKBACK_DAYS);
  const ids = await deps.repo.seriesIn(conversationId);
  const found = await Promise.all(
    ids.map(async (meetingId): Promise<NextMeeting | undefined> => {
      const rows = await deps.repo.load({ conversationId, meetingId }, { headsFrom: from });
      if (!rows) return undefined;
      const state = new SeriesState(rows, now);
      const next = state
        .upcoming()
        .find(
          (planned) =>
            (planned.status === 'planned' || planned.status === 'moved') &&
            planned.start > now &&
            state.headerOf(planned).state === 'planned',
        );
      return next
        ? {
            ref: { conversationId, meetingId, date: next.key },
            seriesName: state.series.name,
            startsAt: next.start,
          }
        : undefined;
    }),
  );
  return found
    .filter((meeting): meeting is NextMeeting => meeting !== undefined)
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

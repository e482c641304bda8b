import { addDays, toLocal } from '../schedule/local-time.js';
import type { Occurrence as Planned } from '../schedule/recurrence.js';
import type { SeriesRepository } from './meetings.repository.js';
import type { MeetingSeries, Occurrence } from './meetings.schema.js';
import { occurrenceOf } from './series/rules.js';
import { LOOKBACK_DAYS, SeriesState } from './series/series-state.js';
import { readSeries, windowFor, type OccurrenceRef } from './series/unit-of-work.js';

/** A planned meeting with its series. */
export interface UpcomingOccurrence {
  readonly series: MeetingSeries;
  readonly planned: Planned;
}

/**
 * The read side of meetings that other capabilities use (the ärendekö plans cases for
 * meetings and reads who attended): upcoming meetings of a channel and one meeting as it stands.
 */
export class MeetingQueries {
  constructor(private readonly deps: { repo: SeriesRepository; now: () => Date }) {}

  /** Upcoming meetings of every series in the channel within `days`, soonest first. */
  async upcoming(conversationId: string, days = 60): Promise<UpcomingOccurrence[]> {
    const now = this.deps.now();
    const today = toLocal(now).date;
    const from = addDays(today, -LOOKBACK_DAYS);
    const ids = await this.deps.repo.seriesIn(conversationId);
    const states = await Promise.all(
      ids.map((meetingId) =>
        this.deps.repo.load({ conversationId, meetingId }, { headsFrom: from }),
      ),
    );
    const list: UpcomingOccurrence[] = [];
    const until = addDays(today, days);
    for (const rows of states) {
      if (!rows) continue;
      const state = new SeriesState(rows, now);
      for (const planned of state.upcoming()) {
        if (planned.date <= until) list.push({ series: state.series, planned });
      }
    }
    return list.sort((a, b) => a.planned.start.getTime() - b.planned.start.getTime());
  }

  /** One meeting as it stands, with its series. */
  async occurrence(ref: OccurrenceRef): Promise<{ series: MeetingSeries; occurrence: Occurrence }> {
    const state = await readSeries(this.deps, ref, windowFor(ref.date, this.deps.now()));
    return { series: state.series, occurrence: occurrenceOf(state, ref.date) };
  }
}

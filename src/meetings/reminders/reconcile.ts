import { errorFields, type Logger } from '../../log.js';
import { addDays, toLocal } from '../../schedule/local-time.js';
import { occurrences as planOccurrences } from '../../schedule/recurrence.js';
import type { SeriesRepository } from '../meetings.repository.js';
import { LOOKBACK_DAYS, SeriesState } from '../series/series-state.js';
import {
  actionReminder,
  cancelMeeting,
  planSeries,
  type MeetingReminderPort,
} from './meeting-reminders.js';

export interface ReconcileDeps {
  readonly repo: SeriesRepository;
  readonly reminders: MeetingReminderPort;
  readonly now: () => Date;
  readonly personalConversationOf: (userId: string) => Promise<string | undefined>;
  readonly logger: Logger;
}

/** Days beyond the kallelse offset that reconciliation looks ahead. */
const MARGIN_DAYS = 14;

/**
 * Repairs what was derived after a commit and may be missing (the instance died in between):
 * the reminders of every meeting in the coming weeks, the withdrawal of reminders of cancelled
 * or moved meetings, and each open action item's reminder. Everything it does is idempotent;
 * it runs on the periodic tick. The aggregates are the truth; reminders follow them.
 */
export async function reconcileMeetingReminders(
  deps: ReconcileDeps,
): Promise<{ series: number; failed: number }> {
  const now = deps.now();
  const today = toLocal(now).date;
  let series = 0;
  let failed = 0;
  for await (const ref of deps.repo.everySeries()) {
    try {
      const rows = await deps.repo.load(ref, { headsFrom: addDays(today, -LOOKBACK_DAYS) });
      if (!rows) continue;
      series++;
      const state = new SeriesState(rows, now);
      const until = addDays(today, state.series.offsets.callDays + MARGIN_DAYS);
      await planSeries(deps.reminders, state, until);
      for (const { value } of rows.headers.values()) {
        if (!value.exception || value.date > until || value.date < today) continue;
        const original = planOccurrences(state.series.schedule, value.date, value.date)[0];
        if (original && original.start.toISOString() !== value.startsAt) {
          await cancelMeeting(deps.reminders, state.series, value.date, original.start);
        }
        if (value.state === 'cancelled') {
          await cancelMeeting(deps.reminders, state.series, value.date, new Date(value.startsAt));
        }
      }
      for (const action of await deps.repo.openActions(ref.meetingId)) {
        const personal = await deps.personalConversationOf(action.ownerId);
        const input = actionReminder(state.series, action, personal);
        if (input.dueAt > now) await deps.reminders.schedule(input);
      }
    } catch (error) {
      failed++;
      deps.logger.warn('meetings.reconcile.failed', errorFields(error));
    }
  }
  return { series, failed };
}

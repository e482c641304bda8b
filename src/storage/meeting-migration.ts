import type { AuditEntry } from '../audit/audit.schema.js';
import { isAppError } from '../errors.js';
import type { ElementRow, MeetingChange, MeetingWrite } from '../meetings/meetings.repository.js';
import type { OccurrenceHeader } from '../meetings/meetings.schema.js';
import { occurrences as planOccurrences } from '../schedule/recurrence.js';
import {
  upcastActionItem,
  upcastDecision,
  upcastExceptions,
  upcastOccurrence,
  upcastSeries,
  type LegacySeriesRows,
} from './meeting-legacy.js';

/** Element writes per transaction, leaving room for a header, the audit entry and the marker. */
const CHUNK = 90;

/**
 * The transactions that move one series from the old tables into its aggregate: per old
 * occurrence its header and elements (in chunks of at most 90 rows), then the series header
 * with the headers of dates that only had an exception. Each has its own marker, so running the
 * migration again (another instance, a crash half way) writes nothing twice; the series header
 * comes last, so a series is only read in the new shape once everything else is there.
 */
export function migrationChanges(legacy: LegacySeriesRows, now: Date): MeetingChange[] {
  const series = upcastSeries(legacy.series);
  const exceptions = upcastExceptions(legacy.series);
  const audit = (details: Record<string, string | number>): AuditEntry[] => [
    {
      at: now.toISOString(),
      actorId: 'system',
      action: 'meetings.migrate',
      subjectType: 'meeting',
      subjectId: series.id,
      details,
    },
  ];
  const changes: MeetingChange[] = [];
  const migratedDates = new Set<string>();
  for (const old of legacy.occurrences) {
    migratedDates.add(old.date);
    const { header, items } = upcastOccurrence(old, exceptions.get(old.date));
    const elements: ElementRow[] = [
      ...items,
      ...legacy.decisions.filter((d) => d.date === old.date).map(upcastDecision),
      ...legacy.actions.filter((a) => a.date === old.date).map(upcastActionItem),
    ];
    for (let start = 0, part = 0; start === 0 || start < elements.length; start += CHUNK, part++) {
      const writes: MeetingWrite[] = elements
        .slice(start, start + CHUNK)
        .map((value) => ({ op: 'create', row: 'element', value }));
      if (part === 0) writes.unshift({ op: 'create', row: 'occurrence', value: header });
      changes.push({
        writes,
        audit: audit({ date: old.date, part, rows: writes.length }),
        marker: { key: `migrate|${old.date}|${part}` },
      });
    }
  }
  const exceptionHeaders: MeetingWrite[] = [];
  for (const [date, exception] of exceptions) {
    if (migratedDates.has(date)) continue;
    const planned = planOccurrences(legacy.series.schedule, date, date).find((o) => o.key === date);
    if (!planned) continue;
    const header: OccurrenceHeader = {
      date,
      startsAt: planned.start.toISOString(),
      durationMinutes: legacy.series.schedule.durationMinutes,
      state: exception.action === 'cancel' ? 'cancelled' : 'planned',
      exception,
      nextOrder: 1,
      revision: 0,
      updatedAt: now.toISOString(),
    };
    exceptionHeaders.push({ op: 'create', row: 'occurrence', value: header });
  }
  for (let start = CHUNK; start < exceptionHeaders.length; start += CHUNK) {
    changes.push({
      writes: exceptionHeaders.slice(start, start + CHUNK),
      audit: audit({ exceptions: Math.min(CHUNK, exceptionHeaders.length - start) }),
      marker: { key: `migrate|exceptions|${start}` },
    });
  }
  changes.push({
    writes: [...exceptionHeaders.slice(0, CHUNK), { op: 'create', row: 'series', value: series }],
    audit: audit({ occurrences: legacy.occurrences.length }),
    marker: { key: 'migrate|series' },
  });
  return changes;
}

/** Runs the migration's transactions in order; a change another instance made already is fine. */
export async function migrate(
  commit: (change: MeetingChange) => Promise<unknown>,
  changes: readonly MeetingChange[],
): Promise<void> {
  for (const change of changes) {
    try {
      await commit(change);
    } catch (error) {
      if (!isAppError(error, 'already-exists')) throw error;
    }
  }
}

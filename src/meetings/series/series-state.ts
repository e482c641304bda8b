import { addDays, toLocal } from '../../schedule/local-time.js';
import {
  occurrences as planOccurrences,
  type Occurrence as Planned,
} from '../../schedule/recurrence.js';
import type { Schedule, ScheduleException } from '../../schedule/schedule.schema.js';
import type { ElementRow, SeriesRows, Stored } from '../meetings.repository.js';
import type {
  ActionItem,
  AgendaItem,
  Decision,
  MeetingSeries,
  Occurrence,
  OccurrenceHeader,
} from '../meetings.schema.js';

/** How far ahead occurrences are planned, and how many at most. */
export const PLANNING_DAYS = 400;
export const MAX_PLANNED = 30;
/** How far back occurrence headers are read, so a meeting moved to a later day is still seen. */
export const LOOKBACK_DAYS = 31;

export type { Planned };

/**
 * One read of a series aggregate, with the rules that follow from it: which occurrences the
 * schedule plans (with each occurrence's own exception), and each occurrence's items, decisions
 * and action items in order. Immutable: a change yields a new state.
 */
export class SeriesState {
  constructor(
    readonly rows: SeriesRows,
    readonly now: Date,
  ) {}

  get series(): MeetingSeries {
    return this.rows.series.value;
  }

  header(date: string): Stored<OccurrenceHeader> | undefined {
    return this.rows.headers.get(date);
  }

  /** Occurrences whose rule date lies in [from, from + days], with holidays and exceptions. */
  planned(from: string, days = PLANNING_DAYS): Planned[] {
    return planOccurrences(this.schedule(), from, addDays(from, days)).slice(0, MAX_PLANNED);
  }

  /** The occurrence planned under `date` (its key), if the schedule has one. */
  plannedOn(date: string): Planned | undefined {
    return planOccurrences(this.schedule(), date, date).find((o) => o.key === date);
  }

  /** The next occurrence after `date` that is held and still open (not cancelled or closed). */
  nextAfter(date: string): Planned | undefined {
    return this.planned(addDays(date, 1)).find(
      (o) =>
        (o.status === 'planned' || o.status === 'moved') &&
        (this.header(o.key)?.value.state ?? 'planned') === 'planned',
    );
  }

  /** The next occurrence that has not started, across the series. */
  upcoming(): Planned[] {
    const today = toLocal(this.now).date;
    return this.planned(addDays(today, -LOOKBACK_DAYS)).filter(
      (o) => o.status !== 'skipped' && o.end > this.now,
    );
  }

  /** The occurrence's header: stored, or as the schedule plans it when nothing happened yet. */
  headerOf(planned: Planned): OccurrenceHeader {
    return (
      this.header(planned.key)?.value ?? {
        date: planned.key,
        startsAt: planned.start.toISOString(),
        durationMinutes: this.series.schedule.durationMinutes,
        state: planned.status === 'cancelled' ? 'cancelled' : 'planned',
        nextOrder: 1,
        revision: 0,
        updatedAt: this.now.toISOString(),
      }
    );
  }

  elementsOf(date: string): Stored<ElementRow>[] {
    return this.rows.elements.filter((row) => row.value.date === date);
  }

  /** Whether this read holds the elements of `date`. */
  hasElements(date: string): boolean {
    const span = this.rows.window.elements;
    return span !== undefined && span.from <= date && date <= span.to;
  }

  /**
   * How many items a meeting's agenda holds: counted when its rows were read, else from its
   * header (0 when nothing has happened to it; undefined for a header from before the count).
   */
  itemCount(date: string): number | undefined {
    if (this.hasElements(date)) return this.itemRows(date).length;
    const header = this.header(date);
    return header ? header.value.itemCount : 0;
  }

  itemRows(date: string): Stored<AgendaItem & { row: 'item' }>[] {
    return this.elementsOf(date).filter(
      (row): row is Stored<AgendaItem & { row: 'item' }> => row.value.row === 'item',
    );
  }

  /** One meeting as cards show it; undefined when the schedule has no meeting that date. */
  occurrence(date: string): Occurrence | undefined {
    const planned = this.plannedOn(date);
    if (!planned) return undefined;
    const header = this.headerOf(planned);
    const elements = this.elementsOf(date).map((row) => row.value);
    const items = elements
      .filter((e): e is ElementRow & { row: 'item' } => e.row === 'item')
      .sort((a, b) => a.order - b.order);
    const decisions = elements
      .filter((e): e is ElementRow & { row: 'decision' } => e.row === 'decision')
      .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
    const actions = elements
      .filter((e): e is ElementRow & { row: 'action' } => e.row === 'action')
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    return {
      meetingId: this.series.id,
      date,
      startsAt: header.startsAt,
      durationMinutes: header.durationMinutes,
      state: header.state,
      ...(header.attendance ? { attendance: header.attendance } : {}),
      ...(header.closedAt ? { closedAt: header.closedAt } : {}),
      ...(header.closedByName !== undefined ? { closedByName: header.closedByName } : {}),
      header,
      stored: this.header(date) !== undefined,
      items: items.map(plain) as AgendaItem[],
      decisions: decisions.map(plain) as Decision[],
      actions: actions.map(plain) as ActionItem[],
    };
  }

  /** The series' schedule with each stored occurrence's exception applied. */
  private schedule(): Schedule {
    const exceptions: ScheduleException[] = [];
    for (const { value } of this.rows.headers.values()) {
      if (value.exception?.action === 'cancel') {
        exceptions.push({ action: 'cancel', date: value.date });
      } else if (value.exception?.action === 'move') {
        exceptions.push({ ...value.exception, date: value.date });
      }
    }
    return { ...this.series.schedule, exceptions };
  }
}

function plain<T extends { row: string }>(value: T): Omit<T, 'row'> {
  const { row: _row, ...rest } = value;
  return rest;
}

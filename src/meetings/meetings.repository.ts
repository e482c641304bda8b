import type { AuditEntry } from '../audit/audit.schema.js';
import type {
  ActionItem,
  AgendaItem,
  Decision,
  MeetingSeries,
  OccurrenceHeader,
} from './meetings.schema.js';

/** A stored value with the etag that makes a later write conditional on it. */
export interface Stored<T> {
  readonly value: T;
  readonly etag: string;
}

/** One element row of an occurrence: an agenda item, a decision or an action item. */
export type ElementRow =
  | ({ readonly row: 'item' } & AgendaItem)
  | ({ readonly row: 'decision' } & Decision)
  | ({ readonly row: 'action' } & ActionItem);

/** Which rows of a series a read brings back. */
export interface SeriesWindow {
  /** Occurrence headers from this date on (the series header always comes with them). */
  readonly headsFrom: string;
  /** Elements of the occurrences whose dates lie in [from, to]; none when omitted. */
  readonly elements?: { readonly from: string; readonly to: string };
}

/** What one read of a series aggregate returned. */
export interface SeriesRows {
  readonly series: Stored<MeetingSeries>;
  /** Stored occurrence headers from `window.headsFrom` on, by date. */
  readonly headers: ReadonlyMap<string, Stored<OccurrenceHeader>>;
  readonly elements: readonly Stored<ElementRow>[];
  readonly window: SeriesWindow;
}

export type MeetingWrite =
  | { readonly op: 'create'; readonly row: 'series'; readonly value: MeetingSeries }
  | { readonly op: 'create'; readonly row: 'occurrence'; readonly value: OccurrenceHeader }
  | { readonly op: 'create'; readonly row: 'element'; readonly value: ElementRow }
  | {
      readonly op: 'replace';
      readonly row: 'series';
      readonly value: MeetingSeries;
      readonly etag: string;
    }
  | {
      readonly op: 'replace';
      readonly row: 'occurrence';
      readonly value: OccurrenceHeader;
      readonly etag: string;
    }
  | {
      readonly op: 'replace';
      readonly row: 'element';
      readonly value: ElementRow;
      readonly etag: string;
    };

/** One change to a series: its writes, audit entries and idempotency marker, in one transaction. */
export interface MeetingChange {
  readonly writes: readonly MeetingWrite[];
  readonly audit: readonly AuditEntry[];
  readonly marker: { readonly key: string; readonly result?: Record<string, string | number> };
}

export type MeetingCommit =
  /** The etag each write got, in the order of the writes (undefined when it was not returned). */
  | { readonly kind: 'committed'; readonly etags: readonly (string | undefined)[] }
  /** The same change (by marker) was committed before; nothing was written now. */
  | { readonly kind: 'repeated'; readonly result: Record<string, unknown> };

export interface SeriesRef {
  readonly conversationId: string;
  readonly meetingId: string;
}

/**
 * A meeting series as one aggregate: the series header, a header per occurrence and one row per
 * agenda item, decision and action item, with their audit entries and idempotency markers.
 */
export interface SeriesRepository {
  /** One or two partition queries; undefined when the series does not exist in that channel. */
  load(ref: SeriesRef, window: SeriesWindow): Promise<SeriesRows | undefined>;
  /** Elements of occurrences dated [from, to] (one query). */
  elements(meetingId: string, from: string, to: string): Promise<Stored<ElementRow>[]>;
  /** Writes one change as one transaction (see `AggregateTable.commit` for the outcomes). */
  commit(meetingId: string, change: MeetingChange): Promise<MeetingCommit>;
  /**
   * Whether a change with this marker key is stored: a change whose first attempt landed but
   * whose answer was lost is sent again by the storage client, and its conditional writes then
   * fail as a conflict although the change is in.
   */
  markerLanded(meetingId: string, key: string): Promise<boolean>;
  /** Lists the series in a channel's index; idempotent. */
  register(conversationId: string, meetingId: string, createdAt: string): Promise<void>;
  /** The series of a channel, oldest first. */
  seriesIn(conversationId: string): Promise<string[]>;
  /** Every series of every channel (for the periodic reconciliation). */
  everySeries(): AsyncIterable<SeriesRef>;
  /** Open action items of one series (one query). */
  openActions(meetingId: string): Promise<ActionItem[]>;
  /** Open action items of every series in a channel (old, unmoved series included). */
  openActionsIn(conversationId: string): Promise<ActionItem[]>;
  /** Open action items whose owner is `ownerId`, across series. */
  actionsOwnedBy(ownerId: string): Promise<ActionItem[]>;
  /** The audit entries of a series, oldest first. */
  audit(meetingId: string): Promise<AuditEntry[]>;
}

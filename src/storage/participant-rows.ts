import { z } from 'zod';
import { auditEntrySchema } from '../audit/audit.schema.js';
import {
  TIMELINE_PAGE,
  type ParticipantChange,
  type TimelinePage,
} from '../participants/participants.repository.js';
import {
  participantEventSchema,
  participantSchema,
  stepSchema,
} from '../participants/participants.schema.js';
import { localDateSchema } from '../schedule/schedule.schema.js';
import { rowKey, type RowKind, type RowWrite } from './aggregate-table.js';
import { MAX_STRING_LENGTH } from './entity-limits.js';

export const outcomeRowSchema = z.object({
  code: z.string().min(1).max(20),
  step: stepSchema,
  on: localDateSchema,
  seq: z.number().int().min(0),
});

/**
 * Header rows. Version 1 kept the latest contact (a step or a follow-up) as `lastFollowUpOn`;
 * version 2 keeps it as `lastContactOn` and `lastFollowUpOn` is only a recorded follow-up. A
 * version 1 row cannot tell the two apart, so both take the stored date: its due date stays
 * what it was until the next change.
 */
const headerKind: RowKind<z.infer<typeof participantSchema>> = {
  prefix: 'h',
  schema: participantSchema,
  version: 2,
  upcast(row, version) {
    if (version === 1) {
      return typeof row.lastFollowUpOn === 'string'
        ? { ...row, lastContactOn: row.lastFollowUpOn }
        : row;
    }
    throw new Error(`No upcaster for participant header v${version}`);
  },
};

/**
 * The first page of a participant's history, kept beside the header and written with every
 * change that adds history: `count` is the header's `eventCount` it belongs to, so a page that
 * fell behind (a change that could not keep it) is known as such and not used.
 */
export const firstPageRowSchema = z.object({
  code: z.string().min(1).max(20),
  count: z.number().int().min(0),
  events: z.array(participantEventSchema).max(TIMELINE_PAGE),
  next: z.string().max(200).optional(),
});
export type FirstPageRow = z.infer<typeof firstPageRowSchema>;

export const participantKinds = {
  header: headerKind,
  event: { prefix: 'e', schema: participantEventSchema, version: 1 },
  outcome: { prefix: 'o', schema: outcomeRowSchema, version: 1 },
  firstPage: { prefix: 'p', schema: firstPageRowSchema, version: 1, json: ['events'] },
};
export type ParticipantKinds = typeof participantKinds;

/** Newest first in key order: dates and sequence numbers inverted, fixed width. */
const inverted = (value: number, width: number) =>
  String(10 ** width - 1 - value).padStart(width, '0');
export const eventId = (code: string, on: string, seq: number) =>
  `${code}|${inverted(Number(on.replaceAll('-', '')), 8)}|${inverted(seq, 7)}`;
export const outcomeId = (code: string, on: string, seq: number) =>
  `${code}|${on}|${String(seq).padStart(7, '0')}`;

/** Row keys of the participant partition, for tools that load rows directly (the benchmark). */
export const participantRowKeys = {
  header: (code: string) => rowKey('h', code),
  firstPage: (code: string) => rowKey('p', code),
  event: (code: string, on: string, seq: number) => rowKey('e', eventId(code, on, seq)),
  outcome: (code: string, on: string, seq: number) => rowKey('o', outcomeId(code, on, seq)),
};

/** Ids of one participant's rows lie in `[code|, code}` ). */
export const ownRange = (code: string) => ({ from: `${code}|`, to: `${code}}` });

/** The marker key of a change: a repeat of the same request writes nothing. */
export const markerKeyOf = (change: Pick<ParticipantChange, 'participant' | 'requestKey'>) =>
  `${change.participant.code}|${change.requestKey}`;

/**
 * The first page as it reads once `events` are stored too: the key order applied to the page and
 * the new rows, no read. `next` stays the first row after the page.
 */
export function pageWith(
  page: TimelinePage,
  events: readonly z.infer<typeof participantEventSchema>[],
  limit: number,
): TimelinePage {
  const byId = new Map(
    page.events.map((event) => [eventId(event.code, event.on, event.seq), event]),
  );
  for (const event of events) byId.set(eventId(event.code, event.on, event.seq), event);
  const rows = [...byId].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const later = [...rows.slice(limit).map(([id]) => id), ...(page.next ? [page.next] : [])];
  const next = later.sort()[0];
  return { events: rows.slice(0, limit).map(([, event]) => event), ...(next ? { next } : {}) };
}

/**
 * The kept first page after a change: the one the change brings, or an enrolment's own. None
 * when the page is unknown or would not fit one property (the next read then uses the rows).
 */
function firstPageWrite(change: ParticipantChange): RowWrite<ParticipantKinds>[] {
  const { participant } = change;
  const page =
    change.firstPage ??
    (change.version ? undefined : pageWith({ events: [] }, change.events, TIMELINE_PAGE));
  if (!page || page.events.length > TIMELINE_PAGE) return [];
  if (JSON.stringify(page.events).length > MAX_STRING_LENGTH) return [];
  const value: FirstPageRow = {
    code: participant.code,
    count: participant.eventCount,
    events: [...page.events],
    ...(page.next ? { next: page.next } : {}),
  };
  return [{ op: 'upsert', kind: 'firstPage', id: participant.code, value }];
}

/**
 * The row writes of one change: the header (created or replaced), history and outcome rows, and
 * the kept first page of the history.
 */
export function writesOf(change: ParticipantChange): RowWrite<ParticipantKinds>[] {
  const { participant } = change;
  const header: RowWrite<ParticipantKinds> = change.version
    ? {
        op: 'replace',
        kind: 'header',
        id: participant.code,
        value: participant,
        etag: change.version,
      }
    : { op: 'create', kind: 'header', id: participant.code, value: participant };
  return [
    header,
    ...change.events.map((event): RowWrite<ParticipantKinds> => ({
      op: 'create',
      kind: 'event',
      id: eventId(event.code, event.on, event.seq),
      value: event,
    })),
    ...change.outcomes.map((row): RowWrite<ParticipantKinds> => ({
      op: 'create',
      kind: 'outcome',
      id: outcomeId(participant.code, row.on, row.seq),
      value: { code: participant.code, ...row },
    })),
    ...firstPageWrite(change),
  ];
}

/**
 * A new participant's change as a reservation keeps it until it is written (JSON in one
 * property): parsed on the way back like every stored row.
 */
export const enrolmentChangeSchema = z.object({
  participant: participantSchema,
  events: z.array(participantEventSchema).min(1).max(60),
  outcomes: z.array(outcomeRowSchema.omit({ code: true })).max(60),
  audit: z.array(auditEntrySchema).min(1).max(5),
  requestKey: z.string().min(1).max(200),
});

import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { AuditEntry } from '../audit/audit.schema.js';
import { isAppError } from '../errors.js';
import { addOneMonth } from '../participants/follow-up.js';
import { outcomeSteps } from '../participants/outcome-steps.js';
import type { ParticipantChange } from '../participants/participants.repository.js';
import {
  ageGroupSchema,
  deviationSchema,
  ENDING_STEPS,
  genderSchema,
  PARTICIPANT_CODE_PATTERN,
  referralSchema,
  stepSchema,
  type Participant,
  type ParticipantEvent,
} from '../participants/participants.schema.js';
import { localDateSchema } from '../schedule/schedule.schema.js';
import type { AggregateTable } from './aggregate-table.js';
import { markerKeyOf, writesOf, type ParticipantKinds } from './participant-rows.js';
import { isNotFound, isPreconditionFailed, toAppError } from './table-errors.js';

/**
 * The previous release's participant row (table `participants`, partition = länsdel, row key =
 * the code): the summary and every step as a JSON list on the row. Its history lived in table
 * `participantEvents`, one partition per code, row key the request id.
 */
export const legacyParticipantSchema = z.object({
  code: z.string().regex(PARTICIPANT_CODE_PATTERN),
  lansdelId: z.string().regex(/^[a-z0-9-]{2,40}$/),
  insatsId: z.string().regex(/^[a-z0-9-]{2,40}$/),
  gender: genderSchema,
  startYear: z.number().int().min(2000).max(2100),
  consent: z.boolean(),
  enrolledOn: localDateSchema,
  birthYear: z.number().int().min(1900).max(2100).optional(),
  ageGroup: ageGroupSchema.optional(),
  kommun: z.string().min(2).max(60).optional(),
  referral: referralSchema.optional(),
  coachId: z.string().min(1).max(200),
  responsibleOrganisationId: z.string().max(60),
  caseCode: z.string().max(60).optional(),
  steps: z.string(),
  currentStep: stepSchema,
  currentStepOn: localDateSchema,
  lastFollowUpOn: localDateSchema.optional(),
  nextFollowUpOn: localDateSchema.optional(),
  endedOn: localDateSchema.optional(),
  enrolRequestId: z.string().min(8).max(100),
  createdAt: z.iso.datetime(),
  createdBy: z.string().min(1).max(200),
});
export type LegacyParticipant = z.infer<typeof legacyParticipantSchema>;

export const legacyEventSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._:-]{3,100}$/),
  code: z.string().regex(PARTICIPANT_CODE_PATTERN),
  kind: z.enum(['step', 'followUp', 'deviation']),
  on: localDateSchema,
  step: stepSchema.optional(),
  deviation: deviationSchema.optional(),
  which: z.string().max(80).optional(),
  note: z.string().max(300).optional(),
  recordedBy: z.string().min(1).max(200),
  recordedAt: z.iso.datetime(),
});
export type LegacyEvent = z.infer<typeof legacyEventSchema>;

const optional = <T>(value: T | undefined, key: string) =>
  value === undefined ? {} : { [key]: value };

/**
 * Today's participant (header, history rows in recording order, outcome rows) from a row and
 * history of the previous release. The summary is the one the row kept, with today's rule for
 * the first follow-up (within one month of enrolment until a follow-up is recorded).
 */
export function upcastLegacyParticipant(
  row: LegacyParticipant,
  legacyEvents: readonly LegacyEvent[],
): Omit<ParticipantChange, 'audit' | 'requestKey'> {
  const sorted = [...legacyEvents].sort(
    (a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.id.localeCompare(b.id),
  );
  const enrolment = sorted.find((e) => e.kind === 'step' && e.step === 'inskrivning') ?? {
    id: 'inskrivning',
    code: row.code,
    kind: 'step' as const,
    step: 'inskrivning' as const,
    on: row.enrolledOn,
    recordedBy: row.createdBy,
    recordedAt: row.createdAt,
  };
  const ordered = [enrolment, ...sorted.filter((e) => e !== enrolment)];
  const events: ParticipantEvent[] = ordered.map((e, seq) => ({
    id: e.id,
    seq,
    code: row.code,
    kind: e.kind,
    on: e.on,
    ...optional(e.step, 'step'),
    ...optional(e.deviation, 'deviation'),
    ...optional(e.which, 'which'),
    ...optional(e.note, 'note'),
    recordedBy: e.recordedBy,
    recordedAt: e.recordedAt,
  }));
  const current = [...events]
    .reverse()
    .find((e) => e.kind === 'step' && e.step === row.currentStep && e.on === row.currentStepOn);
  const lastFollowUpOn = events
    .filter((e) => e.kind === 'followUp')
    .map((e) => e.on)
    .sort()
    .at(-1);
  const ended = ENDING_STEPS.includes(row.currentStep);
  const { steps: _steps, lastFollowUpOn: lastContactOn, nextFollowUpOn, endedOn, ...kept } = row;
  const participant: Participant = {
    ...kept,
    source: 'form',
    eventCount: events.length,
    currentStepAt: current?.recordedAt ?? row.createdAt,
    ...optional(lastContactOn, 'lastContactOn'),
    ...optional(lastFollowUpOn, 'lastFollowUpOn'),
    ...(ended
      ? { endedOn: endedOn ?? row.currentStepOn }
      : { nextFollowUpOn: lastFollowUpOn ? nextFollowUpOn : addOneMonth(row.enrolledOn) }),
  };
  const outcomes = outcomeSteps(events).map((e) => ({ step: e.step!, on: e.on, seq: e.seq }));
  return { participant, events, outcomes };
}

/** How many legacy participants a länsdel migrates at a time. */
const PARALLEL = 8;
/** Rows per migrating transaction besides its marker (and the first one's audit entry). */
const ROWS_PER_PART = 98;

/**
 * Moves the previous release's participants of a länsdel into today's aggregate rows.
 * @remarks Per participant: its history is read, the aggregate (header, history, outcome rows,
 * a `participants.migrate` audit entry and the marker `<code>|migrate`) is written in one
 * transaction, then the old history and the old row are removed, the row last. The old row is
 * the to-do list: a run cut off anywhere leaves it, and the next run writes nothing new (the
 * marker) and removes what is left. Two instances at once write the aggregate once; both remove.
 * The previous release must not be writing at the same time (stop it before the upgrade).
 */
export function legacyParticipantMigration(deps: {
  readonly participants: TableClient;
  readonly events: TableClient;
  readonly aggregates: AggregateTable<ParticipantKinds>;
  readonly now: () => Date;
}) {
  const list = async (client: TableClient, filter: string) => {
    const rows: Record<string, unknown>[] = [];
    try {
      for await (const row of client.listEntities<Record<string, unknown>>({
        queryOptions: { filter },
      })) {
        rows.push(row);
      }
    } catch (error) {
      // The table of the previous release's history does not exist on a new installation.
      if (isNotFound(error)) return [];
      throw toAppError(error);
    }
    return rows;
  };

  const removeEvents = async (rows: readonly Record<string, unknown>[]) => {
    for (let i = 0; i < rows.length; i += 100) {
      const batch = rows.slice(i, i + 100);
      const actions: TransactionAction[] = batch.map((row) => [
        'delete',
        { partitionKey: String(row.partitionKey), rowKey: String(row.rowKey) },
      ]);
      try {
        await deps.events.submitTransaction(actions);
      } catch (error) {
        if (!isNotFound(error)) throw toAppError(error);
        // Someone else removed some of them: remove the rest one by one.
        for (const row of batch) {
          try {
            await deps.events.deleteEntity(String(row.partitionKey), String(row.rowKey));
          } catch (inner) {
            if (!isNotFound(inner)) throw toAppError(inner);
          }
        }
      }
    }
  };

  const migrateOne = async (stored: Record<string, unknown>) => {
    const row = legacyParticipantSchema.parse(stored);
    const eventRows = await list(deps.events, odata`PartitionKey eq ${row.code}`);
    const upcast = upcastLegacyParticipant(
      row,
      eventRows.map((e) => legacyEventSchema.parse(e)),
    );
    const audit: AuditEntry = {
      at: deps.now().toISOString(),
      actorId: 'system',
      action: 'participants.migrate',
      subjectType: 'participant',
      subjectId: row.code,
      details: { events: upcast.events.length, from: 'previous-release' },
    };
    const change: ParticipantChange = { ...upcast, audit: [audit], requestKey: 'migrate' };
    // A long history takes more than one transaction: the first holds the header and the audit
    // entry, each later one more rows, every one with its own marker, so each lands once.
    const writes = writesOf(change);
    for (let i = 0, part = 0; i < writes.length; part++) {
      const size = part === 0 ? ROWS_PER_PART - 1 : ROWS_PER_PART;
      const key = markerKeyOf(change) + (part === 0 ? '' : `|${part}`);
      try {
        await deps.aggregates.commit(row.lansdelId, {
          writes: writes.slice(i, i + size),
          audit: part === 0 ? change.audit : [],
          marker: { key, result: { code: row.code } },
        });
      } catch (error) {
        // The rows are there without the marker: migrated long ago, its marker purged since.
        if (!isAppError(error, 'already-exists')) throw error;
      }
      i += size;
    }
    await removeEvents(eventRows);
    try {
      await deps.participants.deleteEntity(row.lansdelId, row.code, {
        etag: String(stored.etag),
      });
    } catch (error) {
      if (!isNotFound(error) && !isPreconditionFailed(error)) throw toAppError(error);
    }
  };

  return {
    /** Migrates every legacy participant of a länsdel; answers how many were found. */
    async migrateLansdel(lansdelId: string): Promise<number> {
      const rows = await list(
        deps.participants,
        odata`PartitionKey eq ${lansdelId} and RowKey ge ${'D-'} and RowKey lt ${'D.'}`,
      );
      for (let i = 0; i < rows.length; i += PARALLEL) {
        await Promise.all(rows.slice(i, i + PARALLEL).map(migrateOne));
      }
      return rows.length;
    },
  };
}

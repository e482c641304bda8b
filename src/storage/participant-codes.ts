import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { AppError, isAppError } from '../errors.js';
import type {
  EnrolmentIntent,
  ParticipantChange,
  Reservation,
} from '../participants/participants.repository.js';
import { participantCode } from '../participants/participants.schema.js';
import { checkEntityLimits, MAX_BATCH_OPERATIONS, MAX_STRING_LENGTH } from './entity-limits.js';
import { decodeKey, encodeKey } from './keys.js';
import { enrolmentChangeSchema } from './participant-rows.js';
import {
  isConflict,
  isNotFound,
  isPreconditionFailed,
  isUnavailable,
  toAppError,
} from './table-errors.js';

/**
 * The partition of the code series (`participantKeys`): the yearly counters (where the previous
 * release kept them, so numbering continues), one reservation row per number whose participant
 * is not yet written, and the request → code and code → länsdel index rows.
 */
const SERIES = 'counter';
/** Index partitions of the previous release, still read for the participants it enrolled. */
const LEGACY_CODE = 'code';
const LEGACY_REQUEST = 'request';

/** Rows per reservation: the reservation, the request index, the code index. */
const ROWS_PER_CODE = 3;
/** Codes per transaction (the counter takes one operation). */
export const CODES_PER_BATCH = Math.floor((MAX_BATCH_OPERATIONS - 1) / ROWS_PER_CODE);
const MAX_ATTEMPTS = 60;
const VERIFY_DELAY_MS = 300;

const counterSchema = z.object({ next: z.number().int().min(1) });
const requestSchema = z.object({ code: z.string().min(1).max(20) });
const codeIndexSchema = z.object({ lansdelId: z.string().min(1).max(40) });
const slotSchema = z.object({
  code: z.string().min(1).max(20),
  requestId: z.string().min(1).max(100),
  lansdelId: z.string().min(1).max(40),
  change: z.string().max(MAX_STRING_LENGTH),
  at: z.iso.datetime(),
});

const slotKey = (code: string) => {
  const [, year, number] = /^D-(\d{4})-(\d+)$/.exec(code) ?? [];
  if (!year || !number) throw new Error('Not a participant code');
  return `slot|${year}|${number.padStart(6, '0')}`;
};
const requestKey = (requestId: string) => `request|${encodeKey(requestId)}`;
const codeKey = (code: string) => `code|${code}`;

/** A reservation whose participant is not (known to be) written yet. */
export interface PendingEnrolment {
  readonly code: string;
  readonly requestId: string;
  readonly lansdelId: string;
  readonly change: ParticipantChange;
  readonly at: string;
  readonly etag: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A read after a transaction whose outcome is not known: if storage fails now, so is ours. */
async function orUnknown<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (isAppError(error, 'storage-unavailable')) {
      throw new AppError('outcome-unknown', undefined, { cause: error });
    }
    throw error;
  }
}

/**
 * The participant code series: numbers handed out without gaps.
 * @remarks A number is taken in one transaction with its reservation row, which holds the
 * participant's whole change. Writing that change is idempotent (the header is created and the
 * request marker written in one transaction), so the reservation can be finished by its own
 * writer, by a repeat of the same request, or by anyone who finds it later: every number that was
 * taken ends as a participant. The reservation row goes once the participant is stored.
 */
export function participantCodeSeries(table: TableClient, now: () => Date) {
  const point = async <T>(schema: z.ZodType<T>, pk: string, rk: string) => {
    try {
      const row = await table.getEntity<Record<string, unknown>>(pk, rk);
      return { value: schema.parse(row), etag: String(row.etag) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toAppError(error);
    }
  };

  const list = async (filter: string) => {
    const rows: Record<string, unknown>[] = [];
    try {
      for await (const row of table.listEntities<Record<string, unknown>>({
        queryOptions: { filter },
      })) {
        rows.push(row);
      }
    } catch (error) {
      throw toAppError(error);
    }
    return rows;
  };

  const codeOfRequest = async (requestId: string) => {
    const [fresh, legacy] = await Promise.all([
      point(requestSchema, SERIES, requestKey(requestId)),
      point(requestSchema, LEGACY_REQUEST, encodeKey(requestId)),
    ]);
    return (fresh ?? legacy)?.value.code;
  };

  const pendingOf = (row: Record<string, unknown>): PendingEnrolment => {
    const slot = slotSchema.parse(row);
    const change = enrolmentChangeSchema.parse(JSON.parse(slot.change));
    return { ...slot, change, etag: String(row.etag) };
  };

  /** Builds the transaction that takes numbers `next…` for `intents`. */
  const reservation = (
    year: number,
    counter: { next: number; etag: string } | undefined,
    intents: readonly EnrolmentIntent[],
  ) => {
    const first = counter?.next ?? 1;
    const at = now().toISOString();
    const counterRow = { partitionKey: SERIES, rowKey: String(year), next: first + intents.length };
    const actions: TransactionAction[] = [
      counter ? ['update', counterRow, 'Replace', { etag: counter.etag }] : ['create', counterRow],
    ];
    const codes = intents.map((intent, i) => {
      const code = participantCode(year, first + i);
      const change = enrolmentChangeSchema.parse(intent.build(code));
      if (change.participant.code !== code || change.participant.lansdelId !== intent.lansdelId) {
        throw new Error('An enrolment was built for another code or länsdel');
      }
      const rows = [
        {
          partitionKey: SERIES,
          rowKey: slotKey(code),
          code,
          requestId: intent.requestId,
          lansdelId: intent.lansdelId,
          change: JSON.stringify(change),
          at,
        },
        {
          partitionKey: SERIES,
          rowKey: requestKey(intent.requestId),
          code,
          lansdelId: intent.lansdelId,
        },
        { partitionKey: SERIES, rowKey: codeKey(code), lansdelId: intent.lansdelId },
      ];
      for (const row of rows) {
        checkEntityLimits(row);
        actions.push(['create', row]);
      }
      return code;
    });
    return { actions, codes };
  };

  /**
   * Whether a reservation whose answer was lost landed. Not finding it is no proof (storage may
   * still apply a request it received), so first the counter is fenced: rewritten unchanged on
   * the version the reservation was conditional on. If that succeeds, the reservation can never
   * land; if the counter moved on, the request's index row tells whether it was ours.
   */
  const landed = async (
    year: number,
    counter: { next: number; etag: string } | undefined,
    requestId: string,
    code: string,
    cause: unknown,
  ) => {
    await pause(VERIFY_DELAY_MS);
    try {
      try {
        const row = { partitionKey: SERIES, rowKey: String(year), next: counter?.next ?? 1 };
        if (counter) await table.updateEntity(row, 'Replace', { etag: counter.etag });
        else await table.createEntity(row);
        return false;
      } catch (error) {
        if (!isPreconditionFailed(error) && !isConflict(error)) throw error;
      }
      return (await point(requestSchema, SERIES, requestKey(requestId)))?.value.code === code;
    } catch (error) {
      if (isUnavailable(error) || isAppError(error, 'storage-unavailable')) {
        throw new AppError('outcome-unknown', undefined, { cause });
      }
      throw toAppError(error);
    }
  };

  /** Reserves numbers for one batch (at most {@link CODES_PER_BATCH} intents). */
  const reserveBatch = async (
    year: number,
    intents: readonly EnrolmentIntent[],
  ): Promise<Reservation[]> => {
    const known = new Map<string, string>();
    const fresh = new Map<string, string>();
    for (let attempt = 1; ; attempt++) {
      const todo = intents.filter((intent) => !known.has(intent.requestId));
      if (todo.length === 0) break;
      const counter = await point(counterSchema, SERIES, String(year));
      const read = counter ? { next: counter.value.next, etag: counter.etag } : undefined;
      const { actions, codes } = reservation(year, read, todo);
      try {
        await table.submitTransaction(actions);
        todo.forEach((intent, i) => fresh.set(intent.requestId, codes[i]!));
        break;
      } catch (error) {
        if (isUnavailable(error)) {
          if (await landed(year, read, todo[0]!.requestId, codes[0]!, error)) {
            todo.forEach((intent, i) => fresh.set(intent.requestId, codes[i]!));
            break;
          }
        } else if (!isConflict(error) && !isPreconditionFailed(error)) {
          throw toAppError(error);
        }
      }
      // Another writer took the numbers first, or a request already has a code: its own, when
      // the storage client sent this transaction again after a lost answer.
      const taken = await orUnknown(
        Promise.all(
          todo.map(async (intent) => ({ intent, code: await codeOfRequest(intent.requestId) })),
        ),
      );
      taken.forEach(({ intent, code }, i) => {
        if (code && code === codes[i]) fresh.set(intent.requestId, code);
        if (code) known.set(intent.requestId, code);
      });
      if (attempt >= MAX_ATTEMPTS) throw new AppError('conflict');
      await pause(Math.random() * Math.min(10 * attempt, 200));
    }
    return intents.map((intent) => {
      const taken = fresh.get(intent.requestId);
      return taken
        ? { requestId: intent.requestId, code: taken, fresh: true }
        : { requestId: intent.requestId, code: known.get(intent.requestId)!, fresh: false };
    });
  };

  return {
    codeOfRequest,

    /** The länsdel a code belongs to (today's index, or the previous release's). */
    async lansdelOf(code: string) {
      const [fresh, legacy] = await Promise.all([
        point(codeIndexSchema, SERIES, codeKey(code)),
        point(codeIndexSchema, LEGACY_CODE, code),
      ]);
      return (fresh ?? legacy)?.value.lansdelId;
    },

    async reserve(
      year: number,
      intents: readonly EnrolmentIntent[],
      onReserved?: (batch: readonly Reservation[]) => void,
    ) {
      const reserved: Reservation[] = [];
      for (let i = 0; i < intents.length; i += CODES_PER_BATCH) {
        const batch = await reserveBatch(year, intents.slice(i, i + CODES_PER_BATCH));
        onReserved?.(batch);
        reserved.push(...batch);
      }
      return reserved;
    },

    /** The reservation of one code, if it waits. */
    async pendingOf(code: string): Promise<PendingEnrolment | undefined> {
      try {
        const row = await table.getEntity<Record<string, unknown>>(SERIES, slotKey(code));
        return pendingOf(row);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw toAppError(error);
      }
    },

    /** Every reservation made before `before`, oldest number first. */
    async pending(before: Date): Promise<PendingEnrolment[]> {
      const rows = await list(
        odata`PartitionKey eq ${SERIES} and RowKey ge ${'slot|'} and RowKey lt ${'slot}'}`,
      );
      return rows.map(pendingOf).filter((p) => new Date(p.at) < before);
    },

    /** Removes a reservation whose participant is stored (conditional; a lost race is fine). */
    async release(pending: Pick<PendingEnrolment, 'code' | 'etag'>) {
      try {
        await table.deleteEntity(SERIES, slotKey(pending.code), { etag: pending.etag });
      } catch (error) {
        if (isNotFound(error) || isPreconditionFailed(error)) return;
        throw toAppError(error);
      }
    },

    async importedRequests() {
      const found = new Map<string, string>();
      const [fresh, legacy] = await Promise.all([
        list(
          odata`PartitionKey eq ${SERIES} and RowKey ge ${requestKey('import-')} and RowKey lt ${requestKey('import.')}`,
        ),
        list(
          odata`PartitionKey eq ${LEGACY_REQUEST} and RowKey ge ${'import-'} and RowKey lt ${'import.'}`,
        ),
      ]);
      for (const row of legacy) {
        found.set(decodeKey(String(row.rowKey)), requestSchema.parse(row).code);
      }
      for (const row of fresh) {
        const key = String(row.rowKey).slice('request|'.length);
        found.set(decodeKey(key), requestSchema.parse(row).code);
      }
      return found;
    },

    /** Removes a code's index rows (today's and the previous release's) and any reservation. */
    async forget(code: string, requestId: string | undefined) {
      const keys: [string, string][] = [
        [SERIES, codeKey(code)],
        [SERIES, slotKey(code)],
        [LEGACY_CODE, code],
      ];
      if (requestId) {
        keys.push([SERIES, requestKey(requestId)], [LEGACY_REQUEST, encodeKey(requestId)]);
      }
      for (const [pk, rk] of keys) {
        try {
          const row = await table.getEntity(pk, rk);
          await table.deleteEntity(pk, rk, { etag: String(row.etag) });
        } catch (error) {
          if (!isNotFound(error) && !isPreconditionFailed(error)) throw toAppError(error);
        }
      }
    },
  };
}

export type ParticipantCodeSeries = ReturnType<typeof participantCodeSeries>;

import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { retryOnConflict } from '../concurrency.js';
import { isAppError } from '../errors.js';
import type {
  OutcomeRow,
  ParticipantRepository,
  ParticipantRetentionStore,
} from '../participants/participants.repository.js';
import {
  participantEventSchema,
  participantSchema,
  stepSchema,
  type Participant,
} from '../participants/participants.schema.js';
import type { ReportParticipant } from '../reports/lagesrapport.js';
import type { ReportSource } from '../reports/report.repository.js';
import { localDateSchema } from '../schedule/schedule.schema.js';
import { AggregateTable, rowKey, type RowWrite } from './aggregate-table.js';
import { EntityTable } from './entity-table.js';
import { encodeKey } from './keys.js';
import { toAppError } from './table-errors.js';
import type { TableStore } from './table-store.js';

const counterSchema = z.object({ next: z.number().int().min(1) });
const codeIndexSchema = z.object({ lansdelId: z.string().min(1).max(40) });
const requestSchema = z.object({ code: z.string().min(1).max(20) });
const outcomeSchema = z.object({
  code: z.string().min(1).max(20),
  step: stepSchema,
  on: localDateSchema,
  seq: z.number().int().min(0),
});

const COUNTER = 'counter';
const CODE = 'code';
const REQUEST = 'request';

const kinds = {
  header: { prefix: 'h', schema: participantSchema, version: 1 },
  event: { prefix: 'e', schema: participantEventSchema, version: 1 },
  outcome: { prefix: 'o', schema: outcomeSchema, version: 1 },
};
type Kinds = typeof kinds;

const SYSTEM = new Set([
  'partitionKey',
  'rowKey',
  'etag',
  'timestamp',
  'odata.metadata',
  '_v',
  '_k',
]);
const plain = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row).filter(([key]) => !SYSTEM.has(key) && !key.endsWith('@odata.type')),
  );

/** Newest first in key order: dates and sequence numbers inverted, fixed width. */
const inverted = (value: number, width: number) =>
  String(10 ** width - 1 - value).padStart(width, '0');
const eventId = (code: string, on: string, seq: number) =>
  `${code}|${inverted(Number(on.replaceAll('-', '')), 8)}|${inverted(seq, 7)}`;
const outcomeId = (code: string, on: string, seq: number) =>
  `${code}|${on}|${String(seq).padStart(7, '0')}`;
/** Row keys of the participant partition, for tools that load rows directly (the benchmark). */
export const participantRowKeys = {
  header: (code: string) => rowKey('h', code),
  event: (code: string, on: string, seq: number) => rowKey('e', eventId(code, on, seq)),
  outcome: (code: string, on: string, seq: number) => rowKey('o', outcomeId(code, on, seq)),
};

/** Ids of one participant's rows lie in `[code|, code}` ). */
const ownRange = (code: string) => ({ from: `${code}|`, to: `${code}}` });

/**
 * The participant register. Each länsdel is one partition of aggregates: per participant a
 * header row `h|<kod>`, one history row per step, follow-up or avvikelse `e|<kod>|…` (newest
 * first in key order, so the card's first page is one short range read), and the outcome rows
 * the lägesrapport needs `o|<kod>|<datum>|…`; audit and request-marker rows beside them. A change
 * to a participant is one transaction in that partition, conditional on the header's ETag. The
 * lägesrapport reads only header and outcome rows, in one query.
 * Keys (`participantKeys`): the yearly code counters, code → länsdel, enrolment request → code.
 */
export function participantTables(
  store: TableStore,
  lansdelIds: readonly string[],
): ParticipantRepository & ParticipantRetentionStore & ReportSource {
  const client: TableClient = store.client('participants');
  const aggregates = new AggregateTable(client, kinds);
  const keys = store.client('participantKeys');
  const counters = new EntityTable(keys, counterSchema);
  const codes = new EntityTable(keys, codeIndexSchema);
  const requests = new EntityTable(keys, requestSchema);

  // A participant never changes länsdel, so code → länsdel is remembered once read (bounded).
  const knownLansdel = new Map<string, string>();
  const lansdelOf = async (code: string) => {
    const known = knownLansdel.get(code);
    if (known) return known;
    const lansdelId = (await codes.get(CODE, code))?.value.lansdelId;
    if (lansdelId) {
      if (knownLansdel.size >= 50_000) knownLansdel.clear();
      knownLansdel.set(code, lansdelId);
    }
    return lansdelId;
  };

  const ignoreExisting = async (write: () => Promise<unknown>) => {
    try {
      await write();
      return true;
    } catch (error) {
      if (isAppError(error, 'already-exists')) return false;
      throw error;
    }
  };

  const get = async (code: string) => {
    const lansdelId = await lansdelOf(code);
    if (!lansdelId) return undefined;
    const [row] = await aggregates.range(lansdelId, 'header', {
      from: code,
      to: `${code}\u0001`,
      limit: 1,
    });
    return row ? { value: row.value, version: row.etag } : undefined;
  };

  /** The first `limit` rows of a key range, in one request of that size. */
  const firstRows = async (lansdelId: string, from: string, to: string, limit: number) => {
    const filter = odata`PartitionKey eq ${encodeKey(lansdelId)} and RowKey ge ${from} and RowKey lt ${to}`;
    try {
      const page = await client
        .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
        .byPage({ maxPageSize: limit })
        .next();
      return page.done ? [] : [...page.value];
    } catch (error) {
      throw toAppError(error);
    }
  };

  const headers = async (lansdelId: string, filter?: (p: Participant) => boolean) => {
    const rows = await aggregates.load(lansdelId, ['header']);
    const list = rows.list('header').map((row) => row.value);
    return filter ? list.filter(filter) : list;
  };

  const removeRows = async (lansdelId: string, rowKeys: readonly string[]) => {
    const pk = encodeKey(lansdelId);
    for (let i = 0; i < rowKeys.length; i += 100) {
      const actions: TransactionAction[] = rowKeys
        .slice(i, i + 100)
        .map((key) => ['delete', { partitionKey: pk, rowKey: key }]);
      try {
        await client.submitTransaction(actions);
      } catch (error) {
        throw toAppError(error);
      }
    }
  };

  return {
    reserveNumbers: (year, count) =>
      retryOnConflict(async () => {
        const stored = await counters.get(COUNTER, String(year));
        if (!stored) {
          await counters.create(COUNTER, String(year), { next: count + 1 });
          return 1;
        }
        await counters.replace(
          COUNTER,
          String(year),
          { next: stored.value.next + count },
          stored.version,
        );
        return stored.value.next;
      }, 20),

    async claimRequest(requestId, code, lansdelId) {
      await ignoreExisting(() => codes.create(CODE, code, { lansdelId }));
      const created = await ignoreExisting(() =>
        requests.create(REQUEST, encodeKey(requestId), { code }),
      );
      if (created) return code;
      return (await requests.get(REQUEST, encodeKey(requestId)))!.value.code;
    },

    async importedRequests() {
      const found = new Map<string, string>();
      const filter = odata`PartitionKey eq ${REQUEST} and RowKey ge ${'import-'} and RowKey lt ${'import.'}`;
      for await (const row of requests.allWithKeys(filter)) found.set(row.rowKey, row.value.code);
      return found;
    },

    codeOfRequest: async (requestId) =>
      (await requests.get(REQUEST, encodeKey(requestId)))?.value.code,

    get,

    async timeline(participant, limit, after) {
      const range = ownRange(participant.code);
      const from = after && after.startsWith(range.from) ? after : range.from;
      const rows = await firstRows(
        participant.lansdelId,
        rowKey('e', from),
        rowKey('e', range.to),
        limit + 1,
      );
      const events = rows.slice(0, limit).map((row) => participantEventSchema.parse(plain(row)));
      const next = rows[limit] ? AggregateTable.idOf(String(rows[limit].rowKey)) : undefined;
      return { events, ...(next ? { next } : {}) };
    },

    async history(participant) {
      const rows = await aggregates.range(
        participant.lansdelId,
        'event',
        ownRange(participant.code),
      );
      return rows.map((row) => row.value).sort((a, b) => a.seq - b.seq);
    },

    async outcomeRows(participant) {
      const rows = await aggregates.range(
        participant.lansdelId,
        'outcome',
        ownRange(participant.code),
      );
      return rows.map(({ value }) => ({ step: value.step, on: value.on, seq: value.seq }));
    },

    async commit(change) {
      const { participant } = change;
      const header: RowWrite<Kinds> = change.version
        ? {
            op: 'replace',
            kind: 'header',
            id: participant.code,
            value: participant,
            etag: change.version,
          }
        : { op: 'create', kind: 'header', id: participant.code, value: participant };
      const writes: RowWrite<Kinds>[] = [
        header,
        ...change.events.map((event): RowWrite<Kinds> => ({
          op: 'create',
          kind: 'event',
          id: eventId(event.code, event.on, event.seq),
          value: event,
        })),
        ...change.outcomes.map((row): RowWrite<Kinds> => ({
          op: 'create',
          kind: 'outcome',
          id: outcomeId(participant.code, row.on, row.seq),
          value: { code: participant.code, ...row },
        })),
      ];
      const outcome = await aggregates.commit(participant.lansdelId, {
        writes,
        audit: change.audit,
        marker: {
          key: `${participant.code}|${change.requestKey}`,
          result: { code: participant.code },
        },
      });
      if (outcome.kind === 'repeated') return { kind: 'repeated' };
      const version = outcome.etags.get(rowKey('h', participant.code)) ?? '';
      return { kind: 'committed', version };
    },

    async listForCoach(coachIds) {
      const wanted = new Set(coachIds);
      const lists = await Promise.all(
        lansdelIds.map((id) => headers(id, (p) => wanted.has(p.coachId))),
      );
      return lists.flat();
    },

    listLansdel: (lansdelId) => headers(lansdelId),

    async reportRows(lansdelId) {
      const rows = await aggregates.load(lansdelId, ['header', 'outcome']);
      const byCode = new Map<string, OutcomeRow[]>();
      for (const { value } of rows.list('outcome')) {
        const list = byCode.get(value.code) ?? [];
        list.push(value);
        byCode.set(value.code, list);
      }
      return rows.list('header').map(({ value: p }): ReportParticipant => {
        const outcomes = (byCode.get(p.code) ?? []).sort(
          (a, b) => a.on.localeCompare(b.on) || a.seq - b.seq,
        );
        return {
          gender: p.gender,
          consent: p.consent,
          ageGroup: p.ageGroup,
          kommun: p.kommun,
          enrolledOn: p.enrolledOn,
          outcomes,
        };
      });
    },

    async listEndedBefore(cutoff) {
      const lists = await Promise.all(
        lansdelIds.map((id) => headers(id, (p) => p.endedOn !== undefined && p.endedOn < cutoff)),
      );
      return lists.flat();
    },

    async auditOf(participant) {
      const entries = await aggregates.audit(participant.lansdelId);
      return entries.filter((entry) => entry.subjectId === participant.code);
    },

    async remove(code) {
      const lansdelId = await lansdelOf(code);
      if (!lansdelId) return;
      const stored = await get(code);
      if (stored) {
        const range = ownRange(code);
        const pk = encodeKey(lansdelId);
        const own = [
          odata`PartitionKey eq ${pk} and RowKey ge ${rowKey('e', range.from)} and RowKey lt ${rowKey('e', range.to)}`,
          odata`PartitionKey eq ${pk} and RowKey ge ${rowKey('o', range.from)} and RowKey lt ${rowKey('o', range.to)}`,
          odata`PartitionKey eq ${pk} and RowKey ge ${'audit|'} and RowKey lt ${'audit}'} and subjectId eq ${code}`,
        ];
        const rowKeys: string[] = [];
        try {
          for (const filter of own) {
            for await (const row of client.listEntities({
              queryOptions: { filter, select: ['RowKey'] },
            })) {
              rowKeys.push(String(row.rowKey));
            }
          }
        } catch (error) {
          throw toAppError(error);
        }
        await removeRows(lansdelId, [...rowKeys, rowKey('h', code)]);
        const request = await requests.get(REQUEST, encodeKey(stored.value.enrolRequestId));
        if (request) {
          await requests.remove(REQUEST, encodeKey(stored.value.enrolRequestId), request.version);
        }
      }
      const index = await codes.get(CODE, code);
      if (index) await codes.remove(CODE, code, index.version);
      knownLansdel.delete(code);
    },
  };
}

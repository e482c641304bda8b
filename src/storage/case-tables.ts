import { createHash } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { z } from 'zod';
import type { CaseRepository } from '../cases/cases.repository.js';
import {
  CASE_CODE_PATTERN,
  caseCounterSchema,
  caseSchema,
  caseStatisticSchema,
  type Case,
  type CaseStatistic,
} from '../cases/cases.schema.js';
import { retryOnConflict } from '../concurrency.js';
import { isAppError } from '../errors.js';
import type { Versioned } from '../versioned.js';
import { EntityTable } from './entity-table.js';
import { decodeKey, encodeKey } from './keys.js';
import type { TableStore } from './table-store.js';

const COUNTER = 'counter';
/** Point reads in flight at once when many cases are loaded (gallring of a large archive). */
const READ_BATCH = 32;
const REQUEST = 'request';
const indexSchema = z.object({ code: z.string().regex(CASE_CODE_PATTERN) });
const requestSchema = z.object({ code: z.string().regex(CASE_CODE_PATTERN) });

/** `Ä-2026-0042` → partition `A-2026`, row `0042`: ASCII keys, one partition per year. */
export function caseKeys(code: string): { partitionKey: string; rowKey: string } {
  const match = CASE_CODE_PATTERN.exec(code);
  if (!match) throw new Error('Not a case code');
  return { partitionKey: `A-${match[1]}`, rowKey: match[2]! };
}

const openPartition = (conversationId: string) => `open|${encodeKey(conversationId)}`;
const closedPartition = (month: string) => `closed|${month}`;
const indexKey = (code: string) => {
  const { partitionKey, rowKey } = caseKeys(code);
  return `${partitionKey}-${rowKey}`;
};

/** Where a case's queue and archive pointers live, for tools that load many cases at once. */
export const caseIndexKeys = (code: string) => ({
  queue: (conversationId: string) => ({
    partitionKey: openPartition(conversationId),
    rowKey: indexKey(code),
  }),
  archive: (month: string) => ({ partitionKey: closedPartition(month), rowKey: indexKey(code) }),
});
const monthOf = (iso: string) => iso.slice(0, 7);
const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);
const ignoreMissing = async (step: Promise<unknown>) => {
  try {
    await step;
  } catch (error) {
    if (!isAppError(error, 'not-found')) throw error;
  }
};
const ignoreExisting = async (step: Promise<unknown>) => {
  try {
    await step;
  } catch (error) {
    if (!isAppError(error, 'already-exists')) throw error;
  }
};

/**
 * Cases and their indexes.
 * @remarks The case row (table `cases`, one partition per year, keyed by its code) is the truth.
 * `caseQueue` holds a small row per *open* case, one partition per conversation, in a table of
 * its own: the queue is one narrow query whatever the number of closed cases, even on a store
 * that scans whole tables (the emulator). `caseIndex` holds the rest: one partition per month
 * of closing for the closed cases (so gallring reads only old months), the per-year
 * code counters and the request-id → code bindings that make submission idempotent. An index
 * row is written before the case changes state and removed after, so a crash in between leaves
 * a pointer that readers check and repair, never a case that no index finds.
 */
export function caseTables(store: TableStore): CaseRepository {
  const cases = new EntityTable(store.client('cases'), caseSchema, [
    'plan',
    'queue',
    'decisions',
    'history',
  ]);
  const openIndex = new EntityTable(store.client('caseQueue'), indexSchema);
  const index = new EntityTable(store.client('caseIndex'), indexSchema);
  const counters = new EntityTable(store.client('caseIndex'), caseCounterSchema);
  const requests = new EntityTable(store.client('caseIndex'), requestSchema);
  const statistics = new EntityTable(store.client('caseStatistics'), caseStatisticSchema);

  const getCase = (code: string) => {
    const { partitionKey, rowKey } = caseKeys(code);
    return cases.get(partitionKey, rowKey);
  };

  /** Moves the index of a case that just closed from its conversation to its month. */
  const archiveIndex = async (value: Case) => {
    const key = indexKey(value.code);
    await ignoreExisting(
      index.create(closedPartition(monthOf(value.closedAt ?? value.updatedAt)), key, {
        code: value.code,
      }),
    );
    const open = await openIndex.get(openPartition(value.conversationId), key);
    if (open)
      await ignoreMissing(openIndex.remove(openPartition(value.conversationId), key, open.version));
  };

  return {
    async issueCode(year) {
      const next = await retryOnConflict(async () => {
        const stored = await counters.get(COUNTER, String(year));
        if (!stored) {
          await counters.create(COUNTER, String(year), { year, last: 1 });
          return 1;
        }
        const last = stored.value.last + 1;
        await counters.replace(COUNTER, String(year), { year, last }, stored.version);
        return last;
      }, 20);
      return `Ä-${year}-${String(next).padStart(4, '0')}`;
    },
    async codeForRequest(requestId) {
      return (await requests.get(REQUEST, hash(requestId)))?.value.code;
    },
    async bindRequest(requestId, code) {
      await requests.create(REQUEST, hash(requestId), { code });
    },
    get: getCase,
    async create(value) {
      await ignoreExisting(
        openIndex.create(openPartition(value.conversationId), indexKey(value.code), {
          code: value.code,
        }),
      );
      const { partitionKey, rowKey } = caseKeys(value.code);
      return cases.create(partitionKey, rowKey, value);
    },
    async replace(value, version) {
      const { partitionKey, rowKey } = caseKeys(value.code);
      const saved = await cases.replace(partitionKey, rowKey, value, version);
      if (value.status === 'avslutad') await archiveIndex(value);
      return saved;
    },
    async listOpen(conversationId) {
      const codes: string[] = [];
      for await (const row of openIndex.all(
        odata`PartitionKey eq ${openPartition(conversationId)}`,
      )) {
        codes.push(row.value.code);
      }
      let rowsRead = codes.length;
      const found: Versioned<Case>[] = [];
      for (const stored of await Promise.all(codes.map((code) => getCase(code)))) {
        if (!stored) continue;
        rowsRead++;
        if (stored.value.status === 'avslutad') {
          await archiveIndex(stored.value);
          continue;
        }
        found.push(stored);
      }
      return { cases: found, rowsRead };
    },
    async conversationsWithOpenCases() {
      const conversations = new Set<string>();
      const filter = odata`PartitionKey ge ${'open|'} and PartitionKey lt ${'open}'}`;
      for await (const row of openIndex.allWithKeys(filter)) {
        conversations.add(decodeKey(row.partitionKey.slice('open|'.length)));
      }
      return [...conversations];
    },
    async listClosedBefore(beforeMonth) {
      const codes: string[] = [];
      const filter = odata`PartitionKey ge ${'closed|'} and PartitionKey lt ${closedPartition(beforeMonth)}`;
      for await (const row of index.all(filter)) codes.push(row.value.code);
      const found: Versioned<Case>[] = [];
      for (let i = 0; i < codes.length; i += READ_BATCH) {
        const batch = await Promise.all(
          codes.slice(i, i + READ_BATCH).map((code) => getCase(code)),
        );
        for (const stored of batch) if (stored?.value.status === 'avslutad') found.push(stored);
      }
      return found;
    },
    async reduce(value, version, statistic) {
      await ignoreExisting(
        statistics.create(
          statistic.month,
          hash(`${value.code}|${value.requestId}|${value.submittedAt}`),
          statistic,
        ),
      );
      const { partitionKey, rowKey } = caseKeys(value.code);
      await cases.remove(partitionKey, rowKey, version);
      const key = indexKey(value.code);
      for (const [table, partition] of [
        [openIndex, openPartition(value.conversationId)] as const,
        ...(value.closedAt ? [[index, closedPartition(monthOf(value.closedAt))] as const] : []),
      ]) {
        const row = await table.get(partition, key);
        if (row) await ignoreMissing(table.remove(partition, key, row.version));
      }
    },
    async statistics() {
      const rows: CaseStatistic[] = [];
      for await (const row of statistics.all()) rows.push(row.value);
      return rows;
    },
  };
}

import { createHash } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { AuditEntry } from '../audit/audit.schema.js';
import {
  caseDecisionSchema,
  caseEventSchema,
  caseSchema,
  summaryOf,
  type Case,
  type CaseDecision,
  type CaseEvent,
} from '../cases/cases.schema.js';
import type { AggregateTable, RowWrite } from './aggregate-table.js';
import { auditTable } from './audit-table.js';
import {
  closedRowId,
  codeParts,
  HEAD,
  logRowId,
  openRowId,
  pad6,
  yearPartition,
  type CaseKinds,
} from './case-rows.js';
import type { CaseYears } from './case-years.js';
import { encodeKey } from './keys.js';
import { isNotFound, toAppError } from './table-errors.js';
import type { TableStore } from './table-store.js';

/**
 * Cases stored before cases became aggregates: one row per case in `cases` (partition `A-2026`,
 * row `0042`) with the plan, queue, decisions and history as JSON properties; pointers in
 * `caseQueue` (`open|<conversation>`) and `caseIndex` (`closed|<month>`, `counter`, `request`).
 */
const legacyCaseSchema = caseSchema
  .omit({ revision: true, historyCount: true, decisionCount: true, lastChange: true })
  .extend({ decisions: z.array(caseDecisionSchema), history: z.array(caseEventSchema) });

const JSON_FIELDS = ['plan', 'queue', 'decisions', 'history'];
const SYSTEM = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp', 'odata.metadata']);
const FIRST_CHUNK = 88;
const CHUNK = 98;
const PARALLEL = 8;

export interface UpcastCase {
  readonly value: Case;
  readonly events: readonly CaseEvent[];
  readonly decisions: readonly CaseDecision[];
}

/** A case row in the earlier one-row shape, as stored, read into today's rows. */
export function upcastLegacyCase(row: Record<string, unknown>): UpcastCase {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (SYSTEM.has(key) || key.endsWith('@odata.type')) continue;
    plain[key] = JSON_FIELDS.includes(key) && typeof value === 'string' ? JSON.parse(value) : value;
  }
  const { decisions, history, ...head } = legacyCaseSchema.parse(plain);
  return {
    value: caseSchema.parse({
      ...head,
      revision: 1,
      historyCount: history.length,
      decisionCount: decisions.length,
    }),
    events: history,
    decisions,
  };
}

/** The last code handed out in `year` before codes moved into the year's partition. */
export async function legacyCounter(store: TableStore, year: number): Promise<number> {
  try {
    const row = await store
      .client('caseIndex')
      .getEntity<{ last?: unknown }>('counter', String(year));
    return typeof row.last === 'number' ? row.last : 0;
  } catch (error) {
    if (isNotFound(error)) return 0;
    throw toAppError(error);
  }
}

async function removeIfThere(table: TableClient, partitionKey: string, rowKey: string) {
  try {
    await table.deleteEntity(partitionKey, rowKey);
  } catch (error) {
    if (!isNotFound(error)) throw toAppError(error);
  }
}

const requestKey = (requestId: string) =>
  createHash('sha256').update(requestId).digest('hex').slice(0, 32);

/**
 * Moves every case stored in the earlier shape into today's rows, once per store: the head with
 * its queue or archive line first, then history, decisions and the case's audit entries, each
 * part a transaction with its own marker (a run interrupted half way is finished by the next),
 * and the earlier rows removed last.
 */
export async function migrateLegacyCases(
  store: TableStore,
  years: CaseYears,
  tables: (number: number) => AggregateTable<CaseKinds>,
): Promise<number> {
  if (await years.legacyMigrated()) return 0;
  const cases = store.client('cases');
  const legacy: Record<string, unknown>[] = [];
  try {
    const filter = odata`PartitionKey ge ${'A-'} and PartitionKey lt ${'A.'} and RowKey lt ${'a'}`;
    for await (const page of cases.listEntities({ queryOptions: { filter } }).byPage()) {
      legacy.push(...page);
    }
  } catch (error) {
    throw toAppError(error);
  }
  const upcast = legacy.map((row) => ({ row, ...upcastLegacyCase(row) }));
  const yearOf = (value: Case) => codeParts(value.code).year;
  await years.add([...new Set(upcast.map((c) => yearOf(c.value)))], false);
  await years.add([
    ...new Set(upcast.filter((c) => c.value.status !== 'avslutad').map((c) => yearOf(c.value))),
  ]);
  const audit = auditTable(store);
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < upcast.length) {
        const item = upcast[next++]!;
        await migrateOne(item, await audit.forSubject('case', item.value.code));
      }
    }),
  );
  await years.markLegacyMigrated();
  return upcast.length;

  async function migrateOne(
    item: UpcastCase & { row: Record<string, unknown> },
    entries: readonly AuditEntry[],
  ) {
    const { value, events, decisions, row } = item;
    const { year, number } = codeParts(value.code);
    const index: RowWrite<CaseKinds> =
      value.status === 'avslutad'
        ? {
            op: 'create',
            kind: 'closed',
            id: closedRowId(value.closedAt ?? value.updatedAt, number),
            value: {
              code: value.code,
              organisationId: value.organisationId,
              outcome: decisions.at(-1)?.outcome ?? 'ingetBeslut',
              closedAt: value.closedAt ?? value.updatedAt,
            },
          }
        : {
            op: 'create',
            kind: 'open',
            id: openRowId(value.conversationId, number, 1),
            value: summaryOf(value),
          };
    const rest: RowWrite<CaseKinds>[] = [
      ...events.map((event, i): RowWrite<CaseKinds> => ({
        op: 'create',
        kind: 'event',
        id: pad6(i + 1),
        value: event,
      })),
      ...decisions.map((decision, i): RowWrite<CaseKinds> => ({
        op: 'create',
        kind: 'decision',
        id: pad6(i + 1),
        value: decision,
      })),
      ...entries.map((entry, i): RowWrite<CaseKinds> => ({
        op: 'create',
        kind: 'log',
        id: logRowId(entry.at, `legacy${String(i).padStart(4, '0')}`),
        value: entry,
      })),
    ];
    const chunks: RowWrite<CaseKinds>[][] = [
      [{ op: 'create', kind: 'header', id: HEAD, value }, index, ...rest.slice(0, FIRST_CHUNK)],
    ];
    for (let i = FIRST_CHUNK; i < rest.length; i += CHUNK) chunks.push(rest.slice(i, i + CHUNK));
    const table = tables(number);
    for (const [i, writes] of chunks.entries()) {
      await table.commit(yearPartition(year), {
        writes,
        audit: [],
        marker: { key: `legacy|${value.code}|${i}` },
      });
    }
    await removeIfThere(cases, String(row.partitionKey), String(row.rowKey));
    const pointer = `${yearPartition(year)}-${String(row.rowKey)}`;
    await removeIfThere(
      store.client('caseQueue'),
      `open|${encodeKey(value.conversationId)}`,
      pointer,
    );
    if (value.closedAt) {
      await removeIfThere(
        store.client('caseIndex'),
        `closed|${value.closedAt.slice(0, 7)}`,
        pointer,
      );
    }
    await removeIfThere(store.client('caseIndex'), 'request', requestKey(value.requestId));
  }
}

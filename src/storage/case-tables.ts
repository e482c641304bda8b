import type { AuditEntry } from '../audit/audit.schema.js';
import type {
  CaseChange,
  CaseSnapshot,
  CaseStore,
  ClosedCase,
  NewCaseRecord,
  Written,
} from '../cases/case-store.js';
import { summaryOf, type Case } from '../cases/cases.schema.js';
import { AppError, isAppError } from '../errors.js';
import { AggregateTable, rowKey, type MarkerResult, type RowWrite } from './aggregate-table.js';
import { legacyCounter, migrateLegacyCases } from './case-legacy.js';
import { caseRemoval } from './case-removal.js';
import {
  caseKinds,
  changeKey,
  closedRowId,
  codeOf,
  codeParts,
  COUNTER,
  HEAD,
  logRowId,
  openRowId,
  pad6,
  yearPartition,
  conversationKey,
  type CaseKinds,
} from './case-rows.js';
import { CaseYears } from './case-years.js';
import type { TableStore } from './table-store.js';
import { newId } from '../ids.js';

/** How often a submission is tried again when another one took the same code first. */
const CREATE_ATTEMPTS = 60;

export interface CaseTables extends CaseStore {
  readonly years: CaseYears;
  /** Removes past years without open cases from the open queue's reading list. */
  sweepYears(): Promise<void>;
  /** Moves cases stored in the earlier one-row shape into today's rows (once per store). */
  migrateLegacy(): Promise<number>;
  /** Audit log rows of cases older than `cutoff`: counted, and removed unless `dryRun`. */
  purgeLog(cutoff: Date, dryRun: boolean): Promise<number>;
}

export interface CaseTableOptions {
  /** A pause before asking whether a change whose answer was lost landed (tests shorten it). */
  readonly verifyDelayMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const logWrite = (entry: AuditEntry): RowWrite<CaseKinds> => ({
  op: 'create',
  kind: 'log',
  id: logRowId(entry.at, newId().slice(0, 8)),
  value: entry,
});

/**
 * Cases as aggregates in the `cases` table (see `case-rows.ts` for the keys).
 * @remarks Every change is one transaction holding the new head (conditional on the etag that
 * was read), the new history and decision rows, the audit entries, the queue line and the
 * idempotency marker. A code is taken by replacing the year's counter in the transaction that
 * creates the case, so codes have no gaps: a submission that fails takes no code. When the
 * answer to a change is lost, the head's `lastChange` or the marker tells whether it landed.
 */
export function caseTables(
  store: TableStore,
  now: () => Date,
  options: CaseTableOptions = {},
): CaseTables {
  const client = store.client('cases');
  const years = new CaseYears(store, now);
  const tableOptions = options.verifyDelayMs === undefined ? {} : options;
  const tables = (number: number) => new AggregateTable(client, caseKinds(number), tableOptions);
  const headKey = (number: number) => rowKey(caseKinds(number).header.prefix, HEAD);
  const removal = caseRemoval(store, years);

  const get = async (code: string): Promise<CaseSnapshot | undefined> => {
    const { year, number } = codeParts(code);
    const rows = await tables(number).load(yearPartition(year), ['header', 'decision']);
    const head = rows.get('header', HEAD);
    if (!head) return undefined;
    return {
      value: head.value,
      version: head.etag,
      decisions: rows.list('decision').map((row) => row.value),
    };
  };

  /** The snapshot after a marker said the request was already stored. */
  const stored = async (code: string): Promise<CaseSnapshot> => {
    const snapshot = await get(code);
    if (!snapshot) throw new AppError('not-found');
    return snapshot;
  };

  const create = async (year: number, record: NewCaseRecord, key: string): Promise<Written> => {
    await years.add([year]);
    const partition = yearPartition(year);
    const nonce = newId();
    for (let attempt = 1; ; attempt++) {
      try {
        const counter = (await tables(0).load(partition, ['counter'])).get('counter', COUNTER);
        const last = counter ? counter.value.last : await legacyCounter(store, year);
        const number = last + 1;
        const code = codeOf(year, number);
        const value: Case = {
          ...record.value,
          code,
          revision: 1,
          historyCount: 1,
          decisionCount: 0,
          lastChange: changeKey(key),
        };
        const counterValue = { year, last: number };
        const writes: RowWrite<CaseKinds>[] = [
          counter
            ? {
                op: 'replace',
                kind: 'counter',
                id: COUNTER,
                value: counterValue,
                etag: counter.etag,
              }
            : { op: 'create', kind: 'counter', id: COUNTER, value: counterValue },
          { op: 'create', kind: 'header', id: HEAD, value },
          { op: 'create', kind: 'event', id: pad6(1), value: record.event },
          logWrite(record.audit(code)),
          {
            op: 'create',
            kind: 'open',
            id: openRowId(value.conversationId, number, 1),
            value: summaryOf(value),
          },
        ];
        const result: MarkerResult = { code, nonce };
        const outcome = await tables(number).commit(partition, {
          writes,
          audit: [],
          marker: { key: `submit|${key}`, result },
        });
        if (outcome.kind === 'committed') {
          const version = outcome.etags.get(headKey(number)) ?? '';
          return { kind: 'committed', snapshot: { value, version, decisions: [] } };
        }
        const snapshot = await stored(String(outcome.result.code));
        return { kind: outcome.result.nonce === nonce ? 'committed' : 'repeated', snapshot };
      } catch (error) {
        const raced = isAppError(error, 'conflict') || isAppError(error, 'already-exists');
        if (!raced || attempt >= CREATE_ATTEMPTS) throw error;
        await sleep(5 + Math.random() * 20 * Math.min(attempt, 5));
      }
    }
  };

  const changeWrites = (current: CaseSnapshot, change: CaseChange, next: Case, repair: boolean) => {
    const cur = current.value;
    const { number } = codeParts(cur.code);
    const writes: RowWrite<CaseKinds>[] = [
      { op: 'replace', kind: 'header', id: HEAD, value: next, etag: current.version },
      ...change.events.map((event, i): RowWrite<CaseKinds> => ({
        op: 'create',
        kind: 'event',
        id: pad6(cur.historyCount + i + 1),
        value: event,
      })),
      ...change.audit.map(logWrite),
    ];
    if (change.decision) {
      writes.push({
        op: 'create',
        kind: 'decision',
        id: pad6(cur.decisionCount + 1),
        value: change.decision,
      });
    }
    if (cur.status !== 'avslutad' && !repair) {
      writes.push({
        op: 'delete',
        kind: 'open',
        id: openRowId(cur.conversationId, number, cur.revision),
      });
    }
    if (next.status !== 'avslutad') {
      writes.push({
        op: 'create',
        kind: 'open',
        id: openRowId(next.conversationId, number, next.revision),
        value: summaryOf(next),
      });
    } else if (cur.status !== 'avslutad') {
      const closedAt = next.closedAt ?? next.updatedAt;
      const last = change.decision ?? current.decisions.at(-1);
      writes.push({
        op: 'create',
        kind: 'closed',
        id: closedRowId(closedAt, number),
        value: {
          code: next.code,
          organisationId: next.organisationId,
          outcome: last?.outcome ?? 'ingetBeslut',
          closedAt,
        },
      });
    }
    return writes;
  };

  const change = async (current: CaseSnapshot, change: CaseChange): Promise<Written> => {
    const cur = current.value;
    const { year, number } = codeParts(cur.code);
    const lastChange = changeKey(change.key);
    const next: Case = {
      ...change.next,
      revision: cur.revision + 1,
      historyCount: cur.historyCount + change.events.length,
      decisionCount: cur.decisionCount + (change.decision ? 1 : 0),
      lastChange,
    };
    const nonce = newId();
    const commit = (repair: boolean) =>
      tables(number).commit(yearPartition(year), {
        writes: changeWrites(current, change, next, repair),
        audit: [],
        marker: { key: `change|${change.key}`, result: { code: cur.code, nonce } },
      });
    try {
      let outcome;
      try {
        outcome = await commit(false);
      } catch (error) {
        // The queue line this head points at is missing: write the change and a fresh line.
        if (!isAppError(error, 'not-found')) throw error;
        outcome = await commit(true);
      }
      if (outcome.kind === 'committed') {
        const decisions = change.decision
          ? [...current.decisions, change.decision]
          : current.decisions;
        const version = outcome.etags.get(headKey(number)) ?? '';
        return { kind: 'committed', snapshot: { value: next, version, decisions } };
      }
      const snapshot = await stored(cur.code);
      return { kind: outcome.result.nonce === nonce ? 'committed' : 'repeated', snapshot };
    } catch (error) {
      if (!isAppError(error, 'conflict')) throw error;
      const now = await get(cur.code);
      if (now?.value.lastChange === lastChange) return { kind: 'committed', snapshot: now };
      throw error;
    }
  };

  return {
    years,
    get,
    create,
    change,
    async history(code, { before, limit }) {
      const { year, number } = codeParts(code);
      const from = Math.max(1, before - limit);
      const rows = await tables(number).range(yearPartition(year), 'event', {
        from: pad6(from),
        to: pad6(before),
      });
      const entries = rows.map((row) => ({ ...row.value, seq: Number(row.id) })).reverse();
      return { entries, ...(from > 1 ? { before: from } : {}) };
    },
    async log(code, { after, limit }) {
      const { year, number } = codeParts(code);
      const rows = await tables(number).range(yearPartition(year), 'log', {
        ...(after ? { from: `${after}!` } : {}),
        limit: limit + 1,
      });
      return {
        entries: rows.slice(0, limit).map((row) => ({ ...row.value, cursor: row.id })),
        more: rows.length > limit,
      };
    },
    async record(code, entries, key) {
      const { year, number } = codeParts(code);
      await tables(number).commit(yearPartition(year), {
        writes: entries.map(logWrite),
        audit: [],
        marker: { key: `record|${key}` },
      });
    },
    async open(conversationId) {
      const bounds = conversationId
        ? { from: `${conversationKey(conversationId)}|`, to: `${conversationKey(conversationId)}}` }
        : {};
      const lists = await Promise.all(
        (await years.openYears()).map((year) =>
          tables(0).range(yearPartition(year), 'open', bounds),
        ),
      );
      const latest = new Map<string, (typeof lists)[number][number]['value']>();
      for (const row of lists.flat()) {
        const seen = latest.get(row.value.code);
        if (!seen || seen.revision < row.value.revision) latest.set(row.value.code, row.value);
      }
      return [...latest.values()];
    },
    async closedBefore(beforeMonth): Promise<ClosedCase[]> {
      const last = Number(beforeMonth.slice(0, 4));
      const lists = await Promise.all(
        (await years.allYears())
          .filter((year) => year <= last)
          .map((year) => tables(0).range(yearPartition(year), 'closed', { to: beforeMonth })),
      );
      return lists.flat().map((row) => row.value);
    },
    async reduce(code, statistic) {
      await removal.reduce(code, statistic);
    },
    statistics: () => removal.statistics(),
    async sweepYears() {
      await years.sweep(
        async (year) =>
          (await tables(0).range(yearPartition(year), 'open', { limit: 1 })).length > 0,
      );
    },
    purgeLog: (cutoff, dryRun) => removal.purgeLog(cutoff, dryRun),
    migrateLegacy: () => migrateLegacyCases(store, years, tables),
  };
}

import { odata } from '@azure/data-tables';
import type { TableStore } from '../../src/storage/table-store.js';

/** Actions that change a case (views and log reads change nothing). */
const CHANGES = new Set([
  'cases.submit',
  'cases.plan',
  'cases.move',
  'cases.carryOver',
  'cases.queue',
  'cases.present',
  'cases.decide',
  'cases.admit',
  'cases.close',
]);

type Row = Record<string, unknown> & { rowKey: string };

async function rowsOf(store: TableStore, year: number): Promise<Row[]> {
  const rows: Row[] = [];
  const found = store.client('cases').listEntities<Record<string, unknown>>({
    queryOptions: { filter: odata`PartitionKey eq ${`A-${year}`}` },
  });
  for await (const row of found) rows.push({ ...row, rowKey: String(row.rowKey) });
  return rows;
}

export interface YearCheck {
  /** Case codes stored in the year, in order. */
  readonly codes: string[];
  /** Every way a case is not whole: a change without its audit entry, a missing queue line… */
  readonly problems: string[];
  /** Idempotency markers stored, and changes made (the sum of the heads' revisions). */
  readonly markers: number;
  readonly revisions: number;
}

/**
 * Reads a year partition as stored and checks every case in it: each change of the head
 * (revision) has its audit entry and its marker, the history and decision rows match the head's
 * counts, an open case has exactly its current queue line and a closed one its archive line.
 */
export async function checkYear(store: TableStore, year: number): Promise<YearCheck> {
  const rows = await rowsOf(store, year);
  const problems: string[] = [];
  const heads = rows.filter((row) => /^c\d{6}a\|head$/.test(row.rowKey));
  let revisions = 0;
  for (const head of heads) {
    const prefix = head.rowKey.slice(0, 7);
    const number = prefix.slice(1);
    const code = String(head.code);
    const of = (kind: string) => rows.filter((row) => row.rowKey.startsWith(`${prefix}${kind}|`));
    const changes = of('l').filter((row) => CHANGES.has(String(row.action))).length;
    const revision = Number(head.revision);
    revisions += revision;
    if (changes !== revision)
      problems.push(`${code}: ${changes} change entries, revision ${revision}`);
    if (of('e').length !== Number(head.historyCount)) {
      problems.push(`${code}: ${of('e').length} history rows, count ${String(head.historyCount)}`);
    }
    if (of('b').length !== Number(head.decisionCount)) {
      problems.push(
        `${code}: ${of('b').length} decision rows, count ${String(head.decisionCount)}`,
      );
    }
    const lines = rows.filter(
      (row) => row.rowKey.startsWith('o|') && row.rowKey.split('|')[2] === number,
    );
    const archived = rows.filter(
      (row) => row.rowKey.startsWith('z|') && row.rowKey.endsWith(`|${number}`),
    );
    if (head.status === 'avslutad') {
      if (lines.length !== 0 || archived.length !== 1) problems.push(`${code}: closed but listed`);
    } else if (lines.length !== 1 || Number(lines[0]!.revision) !== revision) {
      problems.push(`${code}: ${lines.length} queue lines for revision ${revision}`);
    }
  }
  const orphans = rows.filter(
    (row) =>
      /^c\d{6}[bel]\|/.test(row.rowKey) &&
      !heads.some((h) => row.rowKey.startsWith(h.rowKey.slice(0, 7))),
  );
  if (orphans.length > 0) problems.push(`${orphans.length} rows of a case that does not exist`);
  const markers = rows.filter((row) => row.rowKey.startsWith('req|')).length;
  if (markers < revisions) problems.push(`${markers} markers for ${revisions} changes`);
  const codes = heads.map((head) => String(head.code)).sort();
  return { codes, problems, markers, revisions };
}

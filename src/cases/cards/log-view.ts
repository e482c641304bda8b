import type { LogPage } from '../case-store.js';
import { auditLine, type OrgNames } from './case-text.js';

/** Log entries per page, largest first (the budget picks one). */
export const LOG_PAGE_SIZES = [40, 20, 10] as const;

/** One page of a case's audit log, newest first, with "Visa fler" for older entries. */
export function logView(code: string, page: LogPage, names: OrgNames, pageSize: number) {
  const entries = page.entries.slice(0, pageSize);
  const more = page.entries.length > pageSize || page.more;
  return {
    code,
    subtitle: 'Vem som har sett eller ändrat ärendet, och när. Senaste först.',
    empty: entries.length === 0,
    rows: entries.map((entry) => auditLine(entry, names)),
    hasMore: more,
    after: more ? (entries.at(-1)?.cursor ?? '') : '',
  };
}

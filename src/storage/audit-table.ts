import { odata } from '@azure/data-tables';
import { auditEntrySchema, type AuditEntry, type AuditLog } from '../audit/audit.schema.js';
import { isAppError } from '../errors.js';
import { EntityTable } from './entity-table.js';
import { encodeKey } from './keys.js';
import type { TableStore } from './table-store.js';
import { newId } from '../ids.js';

/**
 * Append-only: one partition per subject (so a subject's history is one narrow query), row keys
 * start with the time (so they sort) and end with a random part (so they never collide).
 */
export function auditTable(store: TableStore): AuditLog {
  const table = new EntityTable(store.client('audit'), auditEntrySchema, ['details']);
  const partition = (type: string, id: string) => encodeKey(`${type}|${id}`);
  return {
    async append(entry, key) {
      try {
        await table.create(
          partition(entry.subjectType, entry.subjectId),
          `${entry.at}|${key ? encodeKey(key) : newId()}`,
          entry,
        );
      } catch (error) {
        if (!(key && isAppError(error, 'already-exists'))) throw error;
      }
    },
    async forSubject(subjectType, subjectId) {
      const entries: AuditEntry[] = [];
      for await (const row of table.all(
        odata`PartitionKey eq ${partition(subjectType, subjectId)}`,
      )) {
        entries.push(row.value);
      }
      return entries;
    },
  };
}

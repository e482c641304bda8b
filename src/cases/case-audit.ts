import type { Principal } from '../access/access.schema.js';
import { auditEntryOf } from '../audit/audit-entry.js';
import type { AuditEntry } from '../audit/audit.schema.js';

/** An audit entry about one case: who, when, what, with codes and counts only. */
export function caseAuditEntry(
  actor: Principal,
  at: Date,
  action: string,
  code: string,
  details: Record<string, string | number | boolean> = {},
): AuditEntry {
  return auditEntryOf(actor, at, action, { type: 'case', id: code }, details);
}

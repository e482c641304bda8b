import type { Principal } from '../access/access.schema.js';
import type { AuditEntry } from '../audit/audit.schema.js';

/** An audit entry about one case: who, when, what, with codes and counts only. */
export function caseAuditEntry(
  actor: Principal,
  at: Date,
  action: string,
  code: string,
  details: Record<string, string | number | boolean> = {},
): AuditEntry {
  return {
    at: at.toISOString(),
    actorId: actor.userId,
    ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
    action,
    subjectType: 'case',
    subjectId: code,
    details,
  };
}

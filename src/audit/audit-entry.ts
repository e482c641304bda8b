import type { Principal } from '../principal.js';
import type { AuditEntry } from './audit.schema.js';

/** An audit entry about one subject: who, when, what, with codes and counts only. */
export function auditEntryOf(
  actor: Principal,
  at: Date,
  action: string,
  subject: { readonly type: string; readonly id: string },
  details: Record<string, string | number | boolean> = {},
): AuditEntry {
  return {
    at: at.toISOString(),
    actorId: actor.userId,
    ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
    action,
    subjectType: subject.type,
    subjectId: subject.id,
    details,
  };
}

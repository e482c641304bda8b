import { z } from 'zod';

/**
 * One attributable change or view. `details` hold codes, ids and counts only, never free text
 * or personal data.
 */
export const auditEntrySchema = z.object({
  at: z.iso.datetime(),
  actorId: z.string().min(1).max(200),
  actorOrganisationId: z.string().max(60).optional(),
  action: z.string().regex(/^[a-z]+(\.[a-z][a-zA-Z]*)+$/),
  subjectType: z.string().max(40),
  subjectId: z.string().max(200),
  details: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export interface AuditLog {
  /**
   * Appends; never overwrites or removes. With a `key`, appending the same entry again (the same
   * subject, time and key) changes nothing, so a change can be audited again after a crash.
   */
  append(entry: AuditEntry, key?: string): Promise<void>;
  /** Entries about one subject, oldest first. */
  forSubject(subjectType: string, subjectId: string): Promise<AuditEntry[]>;
}

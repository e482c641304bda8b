import type { AuditEntry } from '../audit/audit.schema.js';
import type { Versioned } from '../versioned.js';
import type { Member, Organisation } from './access.schema.js';

export interface OrganisationRepository {
  list(): Promise<Organisation[]>;
  /** Adds the organisations that are missing; existing ones are left as they are. */
  addMissing(organisations: readonly Organisation[]): Promise<number>;
}

export interface MemberRepository {
  get(id: string): Promise<Versioned<Member> | undefined>;
  list(): Promise<Member[]>;
  /**
   * Writes a member together with the audit entry of the change, as one transaction: it fails
   * with `conflict` when the member changed since `version` was read (or was created by someone
   * else when `version` is undefined). A repeat of the same action (`requestKey`) writes nothing.
   */
  save(
    member: Member,
    version: string | undefined,
    audit: AuditEntry,
    requestKey: string,
  ): Promise<void>;
}

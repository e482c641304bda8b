import type { Versioned } from '../versioned.js';
import type { Member, Organisation } from './access.schema.js';

export interface OrganisationRepository {
  list(): Promise<Organisation[]>;
  /** Adds the organisations that are missing; existing ones are left as they are. */
  addMissing(organisations: readonly Organisation[]): Promise<number>;
}

export interface MemberRepository {
  get(id: string): Promise<Versioned<Member> | undefined>;
  /** Fails with `already-exists` when someone else created the member first. */
  create(member: Member): Promise<Versioned<Member>>;
  /** Fails with `conflict` when the member changed since `version` was read. */
  replace(member: Member, version: string): Promise<Versioned<Member>>;
  list(): Promise<Member[]>;
}

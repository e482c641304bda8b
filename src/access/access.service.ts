import type { AuditLog } from '../audit/audit.schema.js';
import { retryOnConflict } from '../concurrency.js';
import { forbidden, invalidInput } from '../errors.js';
import type { MemberRepository, OrganisationRepository } from './access.repository.js';
import {
  hasRole,
  roleLabels,
  type Member,
  type Organisation,
  type Principal,
  ROLES,
  type Role,
  type TurnIdentity,
} from './access.schema.js';

export type { TurnIdentity } from './access.schema.js';
import { findOrganisation } from '../organisations.js';

export interface AccessDeps {
  readonly members: MemberRepository;
  readonly organisations: OrganisationRepository;
  readonly audit: AuditLog;
  readonly bootstrapAdminIds: readonly string[];
  /**
   * Tenant id (lower case) → organisation id (TENANT_ORGANISATIONS): a member from such a tenant
   * is that organisation without a manual grant. Roles are still granted.
   */
  readonly tenantOrganisations?: Readonly<Record<string, string>>;
  readonly now: () => Date;
}

export interface RoleChange {
  readonly member: Member;
  /** False when the member already had (or already lacked) the role: nothing was written. */
  readonly changed: boolean;
}

const ORGANISATION_REQUIRED: readonly Role[] = ['representant', 'coach'];
const ORGANISATIONS_TTL_MS = 60_000;
/** How long a principal read from storage is used before it is read again. */
export const PRINCIPAL_TTL_MS = 15_000;
const PRINCIPAL_CACHE_SIZE = 5_000;

/** Who someone is and what they may do: principals, organisations and role assignments. */
export class AccessService {
  private organisationsCache?: { at: number; value: Organisation[] };
  private readonly principals = new Map<string, { at: number; principal: Principal }>();

  constructor(private readonly deps: AccessDeps) {}

  /**
   * Who is acting: the stored roles and organisation, plus admin by configuration. Cached per
   * instance for a short while (every turn needs it); a role change on this instance clears the
   * cache, on another instance it shows within {@link PRINCIPAL_TTL_MS}.
   */
  async resolvePrincipal(identity: TurnIdentity): Promise<Principal> {
    const key = JSON.stringify([identity.userId, identity.aadObjectId, identity.tenantId]);
    const now = Date.now();
    const cached = this.principals.get(key);
    if (cached && now - cached.at < PRINCIPAL_TTL_MS) {
      return {
        ...cached.principal,
        ...(identity.displayName ? { displayName: identity.displayName } : {}),
      };
    }
    const principal = await this.loadPrincipal(identity);
    if (this.principals.size >= PRINCIPAL_CACHE_SIZE) this.principals.clear();
    this.principals.set(key, { at: now, principal });
    return principal;
  }

  private async loadPrincipal(identity: TurnIdentity): Promise<Principal> {
    const [byUserId, byObjectId] = await Promise.all([
      this.deps.members.get(identity.userId),
      identity.aadObjectId ? this.deps.members.get(identity.aadObjectId) : undefined,
    ]);
    const stored = byUserId ?? byObjectId;
    const configuredAdmin = this.isConfiguredAdmin(identity.userId, identity.aadObjectId);
    const held = new Set<Role>(stored?.value.roles ?? []);
    if (configuredAdmin) held.add('admin');
    const roles = ROLES.filter((role) => held.has(role));
    const organisationId =
      stored?.value.organisationId ?? this.organisationOfTenant(identity.tenantId);
    return {
      userId: identity.userId,
      tenantId: identity.tenantId,
      configuredAdmin,
      roles,
      ...(identity.aadObjectId ? { aadObjectId: identity.aadObjectId } : {}),
      ...(identity.displayName ? { displayName: identity.displayName } : {}),
      ...(stored ? { memberId: stored.value.id } : {}),
      ...(organisationId ? { organisationId } : {}),
    };
  }

  /** The organisation a tenant is mapped to (TENANT_ORGANISATIONS), if any. */
  organisationOfTenant(tenantId: string | undefined): string | undefined {
    return tenantId ? this.deps.tenantOrganisations?.[tenantId.toLowerCase()] : undefined;
  }

  async listOrganisations(): Promise<Organisation[]> {
    const now = this.deps.now().getTime();
    if (!this.organisationsCache || now - this.organisationsCache.at > ORGANISATIONS_TTL_MS) {
      const value = await this.deps.organisations.list();
      value.sort((a, b) => a.name.localeCompare(b.name, 'sv'));
      this.organisationsCache = { at: now, value };
    }
    return this.organisationsCache.value;
  }

  async listMembers(actor: Principal): Promise<Member[]> {
    requireAdmin(actor);
    const members = await this.deps.members.list();
    return members.sort((a, b) =>
      (a.displayName ?? a.id).localeCompare(b.displayName ?? b.id, 'sv'),
    );
  }

  /** The people a samordnare can assign work to: every stored member, by name. */
  async listPeople(actor: Principal): Promise<Member[]> {
    if (!hasRole(actor, 'samordnare', 'admin')) {
      throw forbidden('Bara samordnare kan se förbundets medlemmar.');
    }
    const members = await this.deps.members.list();
    return members.sort((a, b) =>
      (a.displayName ?? a.id).localeCompare(b.displayName ?? b.id, 'sv'),
    );
  }

  /**
   * Every stored member with roles, for what any member may see of the förbund's staffing (who
   * the administratörer are, how many samordnare and coacher there are); no access check.
   */
  async directory(): Promise<Member[]> {
    return (await this.deps.members.list()).filter((member) => member.roles.length > 0);
  }

  /** The names of the administratörer people can ask for a role. */
  async adminNames(): Promise<string[]> {
    return (await this.deps.members.list())
      .filter(
        (member) =>
          (member.roles.includes('admin') ||
            this.isConfiguredAdmin(member.id, member.aadObjectId)) &&
          member.displayName,
      )
      .map((member) => member.displayName!)
      .sort((a, b) => a.localeCompare(b, 'sv'));
  }

  isConfiguredAdmin(userId: string, aadObjectId?: string): boolean {
    return this.deps.bootstrapAdminIds.some(
      (id) =>
        id === userId ||
        (aadObjectId !== undefined && id.toLowerCase() === aadObjectId.toLowerCase()),
    );
  }

  async grant(
    actor: Principal,
    target: { id: string; displayName?: string; aadObjectId?: string; tenantId?: string },
    role: Role,
    organisationWord: string | undefined,
    requestKey: string,
  ): Promise<RoleChange> {
    requireAdmin(actor);
    const organisation = organisationWord
      ? await this.requireOrganisation(organisationWord)
      : undefined;
    const fromTenant = this.organisationOfTenant(target.tenantId);
    const change = await this.modify(actor, target, 'roles.grant', requestKey, (member) => {
      const organisationId = organisation?.id ?? member.organisationId ?? fromTenant;
      if (ORGANISATION_REQUIRED.includes(role) && !organisationId) {
        throw invalidInput(
          `En ${roleLabels[role].toLowerCase()} måste höra till en organisation. Skriv till exempel: /roller ge @person ${role} Försäkringskassan`,
        );
      }
      const unchanged = member.roles.includes(role) && organisationId === member.organisationId;
      if (unchanged) return undefined;
      return {
        member: {
          ...member,
          roles: member.roles.includes(role) ? member.roles : [...member.roles, role],
          ...(organisationId ? { organisationId } : {}),
          ...(target.displayName ? { displayName: target.displayName } : {}),
          ...(target.aadObjectId ? { aadObjectId: target.aadObjectId } : {}),
        },
        details: { role, organisationId: organisationId ?? '' },
      };
    });
    return change;
  }

  async revoke(
    actor: Principal,
    targetId: string,
    role: Role,
    requestKey: string,
  ): Promise<RoleChange> {
    requireAdmin(actor);
    if (role === 'admin' && this.isConfiguredAdmin(targetId)) {
      throw invalidInput(
        'Den här administratören är angiven i konfigurationen (BOOTSTRAP_ADMIN_IDS) och kan bara tas bort där.',
      );
    }
    if (role === 'admin') await this.ensureAnotherAdmin(targetId);
    return this.modify(actor, { id: targetId }, 'roles.revoke', requestKey, (member) =>
      member.roles.includes(role)
        ? {
            member: { ...member, roles: member.roles.filter((r) => r !== role) },
            details: { role },
          }
        : undefined,
    );
  }

  private async requireOrganisation(word: string): Promise<Organisation> {
    const organisation = findOrganisation(await this.listOrganisations(), word);
    if (!organisation) {
      throw invalidInput(
        'Organisationen finns inte i förbundet. Skriv /roller organisationer för att se vilka som finns.',
      );
    }
    return organisation;
  }

  private async ensureAnotherAdmin(targetId: string): Promise<void> {
    if (this.deps.bootstrapAdminIds.length > 0) return;
    const admins = (await this.deps.members.list()).filter((m) => m.roles.includes('admin'));
    if (admins.every((admin) => admin.id === targetId)) {
      throw invalidInput(
        'Det måste finnas minst en administratör kvar. Ge någon annan rollen först.',
      );
    }
  }

  /**
   * Read-modify-write with the stored version, retried when someone else wrote in between.
   * `update` returns undefined when nothing needs to change (which makes every action
   * idempotent). The member and the audit entry of the change are one transaction, and a repeat
   * of the same request (`requestKey`) writes nothing.
   */
  private async modify(
    actor: Principal,
    target: { id: string; displayName?: string },
    action: string,
    requestKey: string,
    update: (member: Member) => { member: Member; details: Record<string, string> } | undefined,
  ): Promise<RoleChange> {
    const at = this.deps.now().toISOString();
    const change = await retryOnConflict(async () => {
      const stored = await this.deps.members.get(target.id);
      const current: Member = stored?.value ?? {
        id: target.id,
        roles: [],
        updatedAt: at,
        updatedBy: actor.userId,
        ...(target.displayName ? { displayName: target.displayName } : {}),
      };
      const next = update(current);
      if (!next) return { member: current, changed: false };
      const stamped: Member = { ...next.member, updatedAt: at, updatedBy: actor.userId };
      await this.deps.members.save(
        stamped,
        stored?.version,
        {
          at,
          actorId: actor.userId,
          ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
          action,
          subjectType: 'member',
          subjectId: target.id,
          details: next.details,
        },
        `${action}|${actor.userId}|${requestKey}`,
      );
      return { member: stamped, changed: true };
    });
    this.principals.clear();
    return change;
  }
}

function requireAdmin(actor: Principal): void {
  if (!hasRole(actor, 'admin')) {
    throw forbidden('Bara en administratör kan se och ändra roller.');
  }
}

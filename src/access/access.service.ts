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
  type Role,
} from './access.schema.js';
import { findOrganisation } from './organisations.js';

/** What Teams tells us about the sender of an activity. */
export interface TurnIdentity {
  readonly userId: string;
  readonly aadObjectId?: string;
  readonly tenantId: string;
  readonly displayName?: string;
}

export interface AccessDeps {
  readonly members: MemberRepository;
  readonly organisations: OrganisationRepository;
  readonly audit: AuditLog;
  readonly bootstrapAdminIds: readonly string[];
  readonly now: () => Date;
}

export interface RoleChange {
  readonly member: Member;
  /** False when the member already had (or already lacked) the role: nothing was written. */
  readonly changed: boolean;
}

const ORGANISATION_REQUIRED: readonly Role[] = ['representant', 'coach'];
const ORGANISATIONS_TTL_MS = 60_000;

/** Who someone is and what they may do: principals, organisations and role assignments. */
export class AccessService {
  private organisationsCache?: { at: number; value: Organisation[] };

  constructor(private readonly deps: AccessDeps) {}

  async resolvePrincipal(identity: TurnIdentity): Promise<Principal> {
    const [byUserId, byObjectId] = await Promise.all([
      this.deps.members.get(identity.userId),
      identity.aadObjectId ? this.deps.members.get(identity.aadObjectId) : undefined,
    ]);
    const stored = byUserId ?? byObjectId;
    const configuredAdmin = this.isConfiguredAdmin(identity.userId, identity.aadObjectId);
    const roles = new Set<Role>(stored?.value.roles ?? []);
    if (configuredAdmin) roles.add('admin');
    return {
      userId: identity.userId,
      tenantId: identity.tenantId,
      configuredAdmin,
      roles: [...roles],
      ...(identity.aadObjectId ? { aadObjectId: identity.aadObjectId } : {}),
      ...(identity.displayName ? { displayName: identity.displayName } : {}),
      ...(stored ? { memberId: stored.value.id } : {}),
      ...(stored?.value.organisationId ? { organisationId: stored.value.organisationId } : {}),
    };
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

  isConfiguredAdmin(userId: string, aadObjectId?: string): boolean {
    return this.deps.bootstrapAdminIds.some(
      (id) =>
        id === userId ||
        (aadObjectId !== undefined && id.toLowerCase() === aadObjectId.toLowerCase()),
    );
  }

  async grant(
    actor: Principal,
    target: { id: string; displayName?: string },
    role: Role,
    organisationWord?: string,
  ): Promise<RoleChange> {
    requireAdmin(actor);
    const organisation = organisationWord
      ? await this.requireOrganisation(organisationWord)
      : undefined;
    const change = await this.modify(actor, target, 'roles.grant', (member) => {
      const organisationId = organisation?.id ?? member.organisationId;
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
        },
        details: { role, organisationId: organisationId ?? '' },
      };
    });
    return change;
  }

  async revoke(actor: Principal, targetId: string, role: Role): Promise<RoleChange> {
    requireAdmin(actor);
    if (role === 'admin' && this.isConfiguredAdmin(targetId)) {
      throw invalidInput(
        'Den här administratören är angiven i konfigurationen (BOOTSTRAP_ADMIN_IDS) och kan bara tas bort där.',
      );
    }
    if (role === 'admin') await this.ensureAnotherAdmin(targetId);
    return this.modify(actor, { id: targetId }, 'roles.revoke', (member) =>
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
   * `update` returns undefined when nothing needs to change (which makes every action idempotent).
   * The audit entry is written first, under a key made from the change's time, so a crash
   * between the two writes can leave an entry for an attempt that did not land, but never a role
   * change without its entry; a retried conflict writes the same entry, not a second one.
   */
  private async modify(
    actor: Principal,
    target: { id: string; displayName?: string },
    action: string,
    update: (member: Member) => { member: Member; details: Record<string, string> } | undefined,
  ): Promise<RoleChange> {
    const at = this.deps.now().toISOString();
    return retryOnConflict(async () => {
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
      await this.deps.audit.append(
        {
          at,
          actorId: actor.userId,
          ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
          action,
          subjectType: 'member',
          subjectId: target.id,
          details: next.details,
        },
        [action, ...Object.values(next.details)].join('|'),
      );
      const saved = stored
        ? await this.deps.members.replace(stamped, stored.version)
        : await this.deps.members.create(stamped);
      return { member: saved.value, changed: true };
    });
  }
}

function requireAdmin(actor: Principal): void {
  if (!hasRole(actor, 'admin')) {
    throw forbidden('Bara en administratör kan se och ändra roller.');
  }
}

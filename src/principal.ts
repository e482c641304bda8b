import { z } from 'zod';

/**
 * Who acts in a turn and with which roles: the one notion every capability and the bot share.
 * Roles are granted by the access capability; this module only names them.
 */
export const ROLES = ['admin', 'samordnare', 'representant', 'coach', 'observator'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const roleLabels: Record<Role, string> = {
  admin: 'Administratör',
  samordnare: 'Samordnare',
  representant: 'Representant',
  coach: 'Coach',
  observator: 'Observatör',
};

/** Who is acting in a turn. */
export interface Principal {
  readonly userId: string;
  readonly aadObjectId?: string;
  readonly tenantId: string;
  readonly displayName?: string;
  /** The key of the stored member record, when there is one. */
  readonly memberId?: string;
  readonly organisationId?: string;
  readonly roles: readonly Role[];
  /** Admin through configuration (BOOTSTRAP_ADMIN_IDS), which no command can revoke. */
  readonly configuredAdmin: boolean;
}

export const hasRole = (principal: Principal, ...roles: Role[]) =>
  roles.some((role) => principal.roles.includes(role));

/** What Teams tells us about the sender of an activity. */
export interface TurnIdentity {
  readonly userId: string;
  readonly aadObjectId?: string;
  readonly tenantId: string;
  readonly displayName?: string;
}

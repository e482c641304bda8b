import { z } from 'zod';
import { foldForLookup } from '../text.js';

export const ROLES = ['admin', 'samordnare', 'representant', 'coach', 'observator'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const roleLabels: Record<Role, string> = {
  admin: 'Administratör',
  samordnare: 'Samordnare',
  representant: 'Organisationsrepresentant',
  coach: 'Coach',
  observator: 'Observatör',
};

const roleWords: Record<string, Role> = {
  admin: 'admin',
  administrator: 'admin',
  samordnare: 'samordnare',
  representant: 'representant',
  organisationsrepresentant: 'representant',
  coach: 'coach',
  observator: 'observator',
};

/** Accepts the Swedish words with or without diacritics, e.g. `observatör`, `Administratör`. */
export function parseRole(word: string): Role | undefined {
  return roleWords[foldForLookup(word)];
}

export const ORGANISATION_KINDS = [
  'forsakringskassan',
  'arbetsformedlingen',
  'region',
  'kommun',
  'forbundskansli',
] as const;
export const organisationKindSchema = z.enum(ORGANISATION_KINDS);
export type OrganisationKind = z.infer<typeof organisationKindSchema>;

export const organisationSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,60}$/),
  name: z.string().min(2).max(100),
  kind: organisationKindSchema,
  /** Short words that find the organisation in commands, e.g. `fk`. */
  aliases: z.array(z.string().max(40)).max(10),
});
export type Organisation = z.infer<typeof organisationSchema>;

/** A member of staff the bot knows: never a participant. */
export const memberSchema = z.object({
  /** The Teams user id (`29:…`) or the Entra object id the admin named. */
  id: z.string().min(1).max(200),
  /** The Entra object id, when Teams told it (mentions, rosters, the member's own turns). */
  aadObjectId: z.string().max(100).optional(),
  displayName: z.string().max(120).optional(),
  organisationId: z.string().max(60).optional(),
  roles: z.array(roleSchema).max(ROLES.length),
  updatedAt: z.iso.datetime(),
  updatedBy: z.string().max(200),
});
export type Member = z.infer<typeof memberSchema>;

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

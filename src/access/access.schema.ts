import { z } from 'zod';
import { foldForLookup } from '../text.js';
import { ROLES, roleSchema, type Role } from '../principal.js';

export {
  ROLES,
  hasRole,
  roleLabels,
  roleSchema,
  type Principal,
  type Role,
  type TurnIdentity,
} from '../principal.js';

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

import { z } from 'zod';
import { foldForLookup } from '../text.js';
import { ROLES, roleSchema, type Role } from '../principal.js';
export {
  ORGANISATION_KINDS,
  organisationKindSchema,
  organisationSchema,
  type Organisation,
  type OrganisationKind,
} from '../organisations.js';

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

import { hasRole, type Principal } from '../access/access.schema.js';
import { forbidden, notFound } from '../errors.js';
import type { ParticipantRepository, StoredParticipant } from './participants.repository.js';

/** Samordnare (and administratörer) see and change every participant. */
export const canManageAll = (actor: Principal) => hasRole(actor, 'samordnare', 'admin');

/** Every id a coach may be stored under: Teams user id, member id, Entra object id. */
export const coachIds = (actor: Principal) =>
  [actor.userId, actor.memberId, actor.aadObjectId].filter((id): id is string => !!id);

export function requireRegisterRole(actor: Principal): void {
  if (!canManageAll(actor) && !hasRole(actor, 'coach')) {
    throw forbidden('Deltagarregistret är bara för coacher och samordnare.');
  }
}

/** A participant the actor may see: samordnare any, a coach their own. */
export async function requireVisible(
  participants: Pick<ParticipantRepository, 'get'>,
  actor: Principal,
  code: string,
  lansdelHint?: string,
  options?: { readonly firstPage?: boolean },
): Promise<StoredParticipant> {
  requireRegisterRole(actor);
  const stored = await participants.get(code, lansdelHint, options);
  if (!stored) throw notFound(`Det finns ingen deltagare med koden ${code}.`);
  if (!canManageAll(actor) && !coachIds(actor).includes(stored.value.coachId)) {
    throw forbidden('Du kan bara se och uppdatera dina egna deltagare.');
  }
  return stored;
}

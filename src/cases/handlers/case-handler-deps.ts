import type { Organisation, Principal } from '../../access/access.schema.js';
import type { CardJson } from '../../bot/card-renderer.js';
import type { Turn } from '../../bot/turn-port.js';
import type { CaseDeps } from '../case-ports.js';
import { orgNames, type OrgNames } from '../cards/case-text.js';
import type { CaseAdmission } from '../use-cases/admission.js';

export interface CaseHandlerDeps {
  readonly cases: CaseDeps;
  readonly organisations: () => Promise<readonly Organisation[]>;
  /** Sends a card to a user's personal chat with the bot; false when there is none yet. */
  readonly sendPersonalCard: (
    userId: string,
    card: CardJson,
    attempts?: number,
  ) => Promise<boolean>;
  /**
   * The enrolment form for the person a decision granted an insats (the participants
   * capability); without it the decision is recorded and enrolment happens with /deltagare ny.
   */
  readonly enrolmentCard?: (principal: Principal, admission: CaseAdmission) => Promise<CardJson>;
}

export const namesOf = async (deps: CaseHandlerDeps): Promise<OrgNames> =>
  orgNames(await deps.organisations());

export const isPersonal = (turn: Pick<Turn, 'conversationKind'>) =>
  turn.conversationKind === 'personal';

/**
 * Details never go to a channel: in the personal chat the card is the answer; elsewhere it is
 * sent to the actor's personal chat and the answer says where it went.
 */
export async function deliverPrivately(
  deps: CaseHandlerDeps,
  turn: Turn,
  card: CardJson,
  what: string,
): Promise<{ shown: true } | { shown: false; text: string }> {
  if (isPersonal(turn)) return { shown: true };
  const sent = await deps.sendPersonalCard(turn.principal.userId, card);
  return {
    shown: false,
    text: sent
      ? `${what} har skickats till din chatt med boten.`
      : `${what} visas bara i din chatt med boten. Öppna en chatt med Finsam och skriv samma kommando där.`,
  };
}

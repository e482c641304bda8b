import type { Organisation, Principal } from '../../access/access.schema.js';
import type { Audience } from '../../access/audience.port.js';
import type { CardJson } from '../../bot/card-renderer.js';
import type { Turn } from '../../bot/turn-port.js';
import type { CaseDeps } from '../case-ports.js';
import { orgNames, type OrgNames } from '../cards/case-text.js';
import type { CaseAdmission } from '../use-cases/admission.js';

export interface CaseHandlerDeps {
  readonly cases: CaseDeps;
  readonly organisations: () => Promise<readonly Organisation[]>;
  /** Who gets their own view of a case card in a channel (samordnare, then representatives). */
  readonly audience: Audience;
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
 * Who a typed command's reply card is for: in the personal chat the person; in a channel or
 * group chat everyone there (no viewer), with `refreshUserIds` for those who see more.
 */
export async function replyView(
  deps: CaseHandlerDeps,
  turn: Pick<Turn, 'conversationKind' | 'principal'>,
  organisations: readonly string[],
  first: readonly string[] = [],
): Promise<{ viewer: Principal | undefined; refreshUserIds: readonly string[] }> {
  if (isPersonal(turn)) return { viewer: turn.principal, refreshUserIds: [] };
  return { viewer: undefined, refreshUserIds: await deps.audience(organisations, first) };
}

/**
 * Details never go to a channel: in the personal chat the card is the answer; elsewhere it is
 * sent to the actor's personal chat and the answer says where it went. For typed commands only:
 * a card action's answer is the clicker's own view and shows details in place.
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

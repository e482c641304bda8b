import type { TurnContext } from 'botbuilder';
import { ActivityTypes, MessageFactory } from 'botbuilder';
import type { z } from 'zod';
import { hasRole, type Principal } from '../principal.js';
import { isAppError } from '../errors.js';
import { errorFields, type Logger } from '../log.js';
import { recordTurn } from '../telemetry/telemetry.js';
import { joinSwedish } from '../text.js';
import { renderCard, type CardJson } from './card-renderer.js';
import { dialogResponse, sourceMessageOf, type MessageAction } from './extension-routes.js';
import type { Refusal } from './inbound-guard.js';
import { cardInvokeResponse } from './invoke-responses.js';
import { turnOf } from './turn-port.js';
import type { CardAction } from './bot.js';

export interface RefusalDeps {
  readonly principalOf: (turn: TurnContext) => Promise<Principal>;
  readonly adminNames: () => Promise<readonly string[]>;
  readonly logger: Logger;
  readonly cardAction: (verb: string) => CardAction<z.ZodType> | undefined;
  readonly messageAction: (commandId: string) => MessageAction<z.ZodType> | undefined;
}

/**
 * For a refusal on missing rights: who can help, and whether the person can fix it themself (an
 * administratör can take any role on the setup card).
 */
export async function whoCanHelp(
  deps: Pick<RefusalDeps, 'principalOf' | 'adminNames'>,
  turn: TurnContext,
  error: unknown,
): Promise<{ text: string; canFix: boolean } | undefined> {
  if (!isAppError(error, 'forbidden')) return undefined;
  try {
    const principal = await deps.principalOf(turn);
    if (hasRole(principal, 'admin')) {
      return {
        text: 'Du är administratör och kan ge dig själv rollen under Kom igång (/kom igång).',
        canFix: true,
      };
    }
    const admins = await deps.adminNames();
    return {
      text:
        admins.length > 0
          ? `Be en administratör om rollen: ${joinSwedish(admins)}.`
          : 'Be förbundets administratör om rollen.',
      canFix: false,
    };
  } catch {
    return undefined;
  }
}

/**
 * Answers a turn the inbound guard refused: a card action gets its form back with the refused
 * fields emptied (when the verb can reopen it) or a notice card; a dialog gets its form back
 * the same way or the notice as its message; a message gets the notice.
 */
export async function refuse(deps: RefusalDeps, turn: TurnContext, refusal: Refusal) {
  const action = refusal.verb ? deps.cardAction(refusal.verb) : undefined;
  const dialog = refusal.dialog ? deps.messageAction(refusal.dialog) : undefined;
  deps.logger.warn('privacy.refused', {
    activityType: turn.activity.type,
    finding: refusal.finding.kind,
    fields: refusal.finding.fields.length,
    ...(action ? { verb: action.verb } : {}),
    ...(dialog ? { command: dialog.commandId } : {}),
  });
  recordTurn('privacy', refusal.finding.kind, 'refused', Date.now());
  if (turn.activity.type !== ActivityTypes.Invoke) {
    await turn.sendActivity(MessageFactory.text(refusal.notice));
    return;
  }
  const name = turn.activity.name ?? '';
  if (name.startsWith('composeExtension/') || name.startsWith('task/')) {
    let answer = { kind: 'message' as const, text: refusal.notice } as Parameters<
      typeof dialogResponse
    >[0];
    if (dialog?.reopen && refusal.values) {
      try {
        const principal = await deps.principalOf(turn);
        answer = await dialog.reopen(
          turnOf(turn, principal),
          sourceMessageOf(turn.activity),
          refusal.values,
          refusal.notice,
        );
      } catch (error) {
        deps.logger.warn('privacy.reopen.failed', errorFields(error));
      }
    }
    await turn.sendActivity(dialogResponse(answer));
    return;
  }
  let card: CardJson | undefined;
  if (action?.reopen && refusal.values) {
    try {
      const principal = await deps.principalOf(turn);
      card = await action.reopen(turnOf(turn, principal), refusal.values, refusal.notice);
    } catch (error) {
      deps.logger.warn('privacy.reopen.failed', errorFields(error));
    }
  }
  card ??= renderCard('notice', {
    title: 'Inget har sparats',
    text: refusal.notice,
    tone: 'attention',
  });
  await turn.sendActivity(cardInvokeResponse(card));
}

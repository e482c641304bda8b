import type { Application } from '@microsoft/teams-ai/lib/Application.js';
import type { TurnState } from '@microsoft/teams-ai/lib/TurnState.js';
import type { TurnContext } from 'botbuilder';
import type { z } from 'zod';
import { invalidInput, isAppError } from '../errors.js';
import { errorFields, type Logger } from '../log.js';
import type { Principal } from '../principal.js';
import { recordTurn } from '../telemetry/telemetry.js';
import { errorText } from './error-text.js';
import {
  dialogResponse,
  meetingEventOf,
  meetingTimeOf,
  messageActionOf,
  sourceMessageOf,
  type DialogAnswer,
  type MeetingEventHandler,
  type MeetingEventKind,
  type MessageAction,
} from './extension-routes.js';
import { conversationOf, turnOf } from './turn-port.js';

const UNKNOWN_ACTION =
  'Den åtgärden finns inte längre i Finsam. Uppdatera Teams och försök igen, eller skriv /hjälp till boten.';

export interface ExtensionDispatchDeps {
  readonly principalOf: (turn: TurnContext) => Promise<Principal>;
  readonly helpFor: (turn: TurnContext, error: unknown) => Promise<{ text: string } | undefined>;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly messageAction: (commandId: string) => MessageAction<z.ZodType> | undefined;
  readonly meetingEvents: (kind: MeetingEventKind) => readonly MeetingEventHandler[];
}

/**
 * Adds the message action invokes (`composeExtension/fetchTask`, `…/submitAction`) and the
 * meeting start and end events to the application, mapped to the capabilities' handlers.
 * @remarks Kept beside the card and command routing in `bot.ts`; the tenant gate and the inbound
 * privacy guard have run before any of these.
 */
export function registerExtensionRoutes(
  app: Application<TurnState>,
  deps: ExtensionDispatchDeps,
): void {
  const { logger } = deps;

  /** One message action step; errors become the dialog's message, never a broken dialog. */
  const run = async (
    turn: TurnContext,
    name: 'fetchTask' | 'submitAction',
    commandId: string,
  ): Promise<DialogAnswer> => {
    const started = Date.now();
    const action = deps.messageAction(commandId);
    try {
      if (!action) return { kind: 'message', text: UNKNOWN_ACTION };
      const port = turnOf(turn, await deps.principalOf(turn));
      const message = sourceMessageOf(turn.activity);
      let answer: DialogAnswer;
      if (name === 'fetchTask') {
        answer = await action.open(port, message);
      } else {
        const data = (turn.activity.value as { data?: unknown } | undefined)?.data ?? {};
        const parsed = action.schema.safeParse(data);
        if (!parsed.success) {
          throw invalidInput('Formuläret skickade ogiltiga uppgifter. Öppna det på nytt.');
        }
        answer = await action.submit(port, message, parsed.data);
      }
      logger.info('message.action', { command: commandId, step: name, outcome: 'ok' });
      recordTurn('message.action', commandId, 'ok', started);
      return answer;
    } catch (error) {
      logger.warn('message.action', {
        ...(action ? { command: commandId } : {}),
        step: name,
        outcome: 'error',
        ...errorFields(error),
      });
      recordTurn('message.action', action ? commandId : 'unknown', 'error', started);
      if (!isAppError(error)) logger.error('message.action.unexpected', errorFields(error));
      const help = await deps.helpFor(turn, error);
      return {
        kind: 'message',
        text: help ? `${errorText(error)} ${help.text}` : errorText(error),
      };
    }
  };

  app.addRoute(
    async (turn) => messageActionOf(turn.activity) !== undefined,
    async (turn) => {
      const { name, commandId } = messageActionOf(turn.activity)!;
      await turn.sendActivity(dialogResponse(await run(turn, name, commandId)));
    },
    true,
  );

  app.addRoute(
    async (turn) => meetingEventOf(turn.activity) !== undefined,
    async (turn) => {
      const kind = meetingEventOf(turn.activity)!;
      const at = meetingTimeOf(turn, kind, deps.now());
      for (const handler of deps.meetingEvents(kind)) {
        try {
          await handler({
            ...conversationOf(turn),
            kind,
            at,
            activityId: turn.activity.id ?? '',
          });
          logger.info('meeting.event', { kind, outcome: 'ok' });
        } catch (error) {
          logger.warn('meeting.event', { kind, outcome: 'error', ...errorFields(error) });
        }
      }
    },
  );
}

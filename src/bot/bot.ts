import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { Activity, Attachment, TurnContext } from 'botbuilder';
import { ActivityTypes, CardFactory, INVOKE_RESPONSE_KEY, MessageFactory } from 'botbuilder';
import type { z } from 'zod';
import { hasRole, type Principal, type TurnIdentity } from '../principal.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import { invalidInput, isAppError } from '../errors.js';
import { errorFields, type Logger } from '../log.js';
import { recordTurn } from '../telemetry/telemetry.js';
import { joinSwedish } from '../text.js';
import { renderCard, type CardJson } from './card-renderer.js';
import { parseCommand, type ParsedCommand } from './command-parser.js';
import { commandTable, type CommandName } from './command-table.js';
import { ReplyNotDelivered, retryReplies } from './delivery.js';
import { errorText } from './error-text.js';
import { inspectInbound, type Refusal } from './inbound-guard.js';
import { cardInvokeResponse, safeName, unavailableInvokeResponse } from './invoke-responses.js';
import { identityOf, referenceOf, tenantOf } from './turn-identity.js';
import { turnOf, type Turn } from './turn-port.js';

export interface CommandContext extends Turn {
  readonly command: ParsedCommand;
}

export interface CardActionContext<T> extends Turn {
  readonly data: T;
}

export type CommandHandler = (ctx: CommandContext) => Promise<void>;

/**
 * One `Action.Execute` verb: the schema that parses the card's `data` (the only parse), the
 * handler that returns the card replacing the clicked one, and optionally how to give the form
 * back when the turn was refused before the handler ran (values kept, a notice on top).
 * Handlers must be idempotent: Teams re-delivers slow invokes.
 */
export interface CardAction<S extends z.ZodType> {
  readonly verb: string;
  readonly schema: S;
  handle(ctx: CardActionContext<z.infer<S>>): Promise<CardJson>;
  reopen?(turn: Turn, values: Readonly<Record<string, unknown>>, notice: string): Promise<CardJson>;
}

/** What a capability registers itself with. */
export interface BotRoutes {
  command(name: CommandName, handler: CommandHandler): void;
  /** Registers a card verb; see {@link CardAction}. */
  cardAction<S extends z.ZodType>(action: CardAction<S>): void;
  /** Answers a message that is not a known command (exactly one capability registers it). */
  unknownCommand(handler: (turn: Turn) => Promise<void>): void;
  /** Runs when the bot is added to a conversation; the turn's principal is whoever added it. */
  welcome(handler: (turn: Turn) => Promise<void>): void;
}

export interface BotDeps {
  readonly adapter: TeamsAdapter;
  readonly botAppId: string;
  /** Who is acting: roles and organisation for the sender of an activity. */
  readonly resolvePrincipal: (identity: TurnIdentity) => Promise<Principal>;
  /** The names of the administratörer, for refusals that say who can help. */
  readonly adminNames: () => Promise<readonly string[]>;
  readonly conversations: ConversationService;
  readonly allowedTenantIds: readonly string[];
  readonly logger: Logger;
}

export type Capability = (routes: BotRoutes) => void;

export interface Bot {
  /** Runs one inbound activity: tenant gate, conversation reference, then the routes. */
  handle(turn: TurnContext): Promise<void>;
  /** Every registered `Action.Execute` verb, in registration order. */
  readonly verbs: readonly string[];
}

/**
 * Builds the Teams application from capabilities.
 * @remarks Domain data never lives in teams-ai TurnState (it saves with ETags and fails under
 * fast clicks); handlers use the capability services instead.
 */
export function createBot(deps: BotDeps, capabilities: readonly Capability[]): Bot {
  const app = new Application<TurnState>({
    adapter: deps.adapter,
    botAppId: deps.botAppId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  const { logger } = deps;
  const commands = new Map<CommandName, CommandHandler>();
  const welcomes: ((turn: Turn) => Promise<void>)[] = [];
  const verbs: string[] = [];
  const cardActions = new Map<string, CardAction<z.ZodType>>();
  let unknownCommand: ((turn: Turn) => Promise<void>) | undefined;

  const principalOf = async (turn: TurnContext): Promise<Principal> => {
    const identity = identityOf(turn.activity);
    if (!identity) throw invalidInput('Aktiviteten saknar avsändare eller klient-id.');
    return deps.resolvePrincipal(identity);
  };

  /**
   * For a refusal on missing rights: who can help, and whether the person can fix it themself (an
   * administratör can take any role on the setup card).
   */
  const whoCanHelp = async (
    turn: TurnContext,
    error: unknown,
  ): Promise<{ text: string; canFix: boolean } | undefined> => {
    if (!isAppError(error, 'forbidden')) return undefined;
    try {
      const principal = await principalOf(turn);
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
  };

  const routes: BotRoutes = {
    command(name, handler) {
      if (commands.has(name)) throw new Error(`Command ${name} registered twice`);
      commands.set(name, handler);
    },
    cardAction<S extends z.ZodType>(action: CardAction<S>) {
      const { verb } = action;
      if (verbs.includes(verb)) throw new Error(`Card verb ${verb} registered twice`);
      verbs.push(verb);
      cardActions.set(verb, action as unknown as CardAction<z.ZodType>);
      app.adaptiveCards.actionExecute<unknown>(verb, async (turn, _state, data) => {
        const started = Date.now();
        try {
          const parsed = action.schema.safeParse(data);
          if (!parsed.success) {
            throw invalidInput(
              'Kortet skickade ogiltiga uppgifter. Öppna kortet på nytt och försök igen.',
            );
          }
          const principal = await principalOf(turn);
          const card = await action.handle({ ...turnOf(turn, principal), data: parsed.data });
          logger.info('card.action', { verb, outcome: 'ok', ms: Date.now() - started });
          recordTurn('card.action', verb, 'ok', started);
          return card as never;
        } catch (error) {
          logger.warn('card.action', {
            verb,
            outcome: 'error',
            ms: Date.now() - started,
            ...errorFields(error),
          });
          recordTurn('card.action', verb, 'error', started);
          if (!isAppError(error)) logger.error('card.action.unexpected', errorFields(error));
          const help = await whoCanHelp(turn, error);
          return renderCard('notice', {
            title: help ? 'Du saknar behörighet' : 'Det gick inte',
            text: help ? `${errorText(error)} ${help.text}` : errorText(error),
            tone: 'attention',
            ...(help?.canFix ? { actionTitle: 'Kom igång', actionVerb: 'setup.open' } : {}),
          }) as never;
        }
      });
    },
    unknownCommand(handler) {
      if (unknownCommand) throw new Error('The unknown-command handler is registered twice');
      unknownCommand = handler;
    },
    welcome(handler) {
      welcomes.push(handler);
    },
  };

  for (const capability of capabilities) capability(routes);
  const missing = commandTable.filter((spec) => !commands.has(spec.name)).map((spec) => spec.name);
  if (missing.length > 0) throw new Error(`Commands without a handler: ${missing.join(', ')}`);
  if (!unknownCommand) throw new Error('No handler for unknown commands');
  app.adaptiveCards.actionExecute<unknown>(/^/, async () => {
    logger.warn('card.action', { verb: 'unknown', outcome: 'unknown-verb' });
    return renderCard('notice', {
      title: 'Kortet är inaktuellt',
      text: 'Knappen finns inte längre. Skriv kommandot på nytt, så får du ett aktuellt kort.',
      tone: 'attention',
    }) as never;
  });
  const answerUnknown = unknownCommand;

  app.message(
    async (turn) => turn.activity.type === ActivityTypes.Message,
    async (turn) => {
      const started = Date.now();
      const parsed = parseCommand(turn.activity);
      if (parsed.kind === 'empty') return;
      const name = parsed.kind === 'command' ? parsed.command.name : 'okänt';
      try {
        if (parsed.kind === 'command') {
          const principal = await principalOf(turn);
          await commands.get(parsed.command.name)!({
            ...turnOf(turn, principal, parsed.command.mentions),
            command: parsed.command,
          });
        } else {
          await answerUnknown(turnOf(turn, await principalOf(turn)));
        }
        logger.info('command', { command: name, outcome: 'ok', ms: Date.now() - started });
        recordTurn('command', name, 'ok', started);
      } catch (error) {
        logger.warn('command', {
          command: name,
          outcome: 'error',
          ms: Date.now() - started,
          ...errorFields(error),
        });
        recordTurn('command', name, 'error', started);
        if (error instanceof ReplyNotDelivered) return;
        if (!isAppError(error)) logger.error('command.unexpected', errorFields(error));
        const help = await whoCanHelp(turn, error);
        await turn.sendActivity(
          MessageFactory.text(help ? `${errorText(error)} ${help.text}` : errorText(error)),
        );
      }
    },
  );

  app.conversationUpdate('membersAdded', async (turn) => {
    const botWasAdded = (turn.activity.membersAdded ?? []).some(
      (member) => member.id === turn.activity.recipient.id,
    );
    if (!botWasAdded) return;
    if (!identityOf(turn.activity)) return;
    const principal = await principalOf(turn);
    for (const welcome of welcomes) await welcome(turnOf(turn, principal));
  });

  app.error(async (turn, error) => {
    logger.error('turn.failed', { activityType: turn.activity.type, ...errorFields(error) });
    if (turn.activity.type === ActivityTypes.Message && !(error instanceof ReplyNotDelivered)) {
      await turn
        .sendActivity(MessageFactory.text(errorText(error)))
        .catch((sendError: unknown) => logger.warn('reply.undelivered', errorFields(sendError)));
    }
  });

  /**
   * Answers a turn the inbound guard refused: a card action gets its form back with the refused
   * fields emptied (when the verb can reopen it) or a notice card; a message gets the notice.
   */
  const refuse = async (turn: TurnContext, refusal: Refusal) => {
    logger.warn('privacy.refused', {
      activityType: turn.activity.type,
      finding: refusal.finding.kind,
      fields: refusal.finding.fields.length,
      ...(refusal.verb && cardActions.has(refusal.verb) ? { verb: refusal.verb } : {}),
    });
    recordTurn('privacy', refusal.finding.kind, 'refused', Date.now());
    if (turn.activity.type !== ActivityTypes.Invoke) {
      await turn.sendActivity(MessageFactory.text(refusal.notice));
      return;
    }
    const action = refusal.verb ? cardActions.get(refusal.verb) : undefined;
    let card: CardJson | undefined;
    if (action?.reopen && refusal.values) {
      try {
        const principal = await principalOf(turn);
        card = await action.reopen(turnOf(turn, principal), refusal.values, refusal.notice);
      } catch (error) {
        logger.warn('privacy.reopen.failed', errorFields(error));
      }
    }
    card ??= renderCard('notice', {
      title: 'Inget har sparats',
      text: refusal.notice,
      tone: 'attention',
    });
    await turn.sendActivity(cardInvokeResponse(card));
  };

  return {
    verbs,
    async handle(turn) {
      const tenantId = tenantOf(turn.activity);
      if (
        deps.allowedTenantIds.length > 0 &&
        (!tenantId || !deps.allowedTenantIds.includes(tenantId))
      ) {
        logger.warn('tenant.refused', {
          tenantId: tenantId ?? 'none',
          activityType: turn.activity.type,
        });
        if (turn.activity.type === ActivityTypes.Invoke) {
          await turn.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 403 } });
        }
        return;
      }
      const refusal = inspectInbound(turn.activity);
      if (refusal) {
        await refuse(turn, refusal);
        return;
      }
      await rememberConversation(turn, deps, tenantId);
      turn.onSendActivities(retryReplies(logger));
      await app.run(turn);
      if (turn.activity.type === ActivityTypes.Invoke && !turn.turnState.get(INVOKE_RESPONSE_KEY)) {
        logger.warn('invoke.unhandled', { name: safeName(turn.activity.name) });
        await turn.sendActivity(unavailableInvokeResponse(turn.activity.name));
      }
    },
  };
}

async function rememberConversation(
  turn: TurnContext,
  deps: BotDeps,
  tenantId: string | undefined,
) {
  const target = referenceOf(turn.activity);
  if (!target || !tenantId) return;
  try {
    await deps.conversations.remember({ ...target, tenantId });
  } catch (error) {
    deps.logger.warn('conversation.remember.failed', errorFields(error));
  }
}

export function textMessage(text: string) {
  return MessageFactory.text(text.normalize('NFC'));
}

export function cardMessage(attachment: Attachment, text?: string) {
  return MessageFactory.attachment(attachment, text?.normalize('NFC'));
}

/** A message to send later (proactively): plain protocol data, built without the SDK's types. */
export type OutboundMessage = Partial<Activity>;

/** A message carrying one Adaptive Card. */
export function cardOutbound(card: CardJson, text?: string): OutboundMessage {
  return cardMessage(CardFactory.adaptiveCard(card), text);
}

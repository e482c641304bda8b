// The modules themselves, not the package index: the index also loads the AI planners and their
// tokenizer tables (about 25 MiB of memory and part of the start-up time) that the bot never uses.
import { Application } from '@microsoft/teams-ai/lib/Application.js';
import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter.js';
import { TurnState } from '@microsoft/teams-ai/lib/TurnState.js';
import type { Activity, Attachment, TurnContext } from 'botbuilder';
import { ActivityTypes, CardFactory, INVOKE_RESPONSE_KEY, MessageFactory } from 'botbuilder';
import type { z } from 'zod';
import type { Principal, TurnIdentity } from '../principal.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import { invalidInput, isAppError } from '../errors.js';
import { errorFields, type Logger } from '../log.js';
import { recordTurn } from '../telemetry/telemetry.js';
import { renderCard, type CardJson } from './card-renderer.js';
import { parseCommand, type ParsedCommand } from './command-parser.js';
import { commandTable, type CommandName } from './command-table.js';
import { ReplyNotDelivered, retryReplies } from './delivery.js';
import { errorText } from './error-text.js';
import { registerExtensionRoutes } from './extension-dispatch.js';
import type { MeetingEventHandler, MeetingEventKind, MessageAction } from './extension-routes.js';
import { inspectInbound } from './inbound-guard.js';
import { cardInvokeResponse, safeName, unavailableInvokeResponse } from './invoke-responses.js';
import { refuse, whoCanHelp } from './refusals.js';
import type { TenantGate } from './tenant-gate.js';
import { identityOf, referenceOf, tenantOf } from './turn-identity.js';
import { turnOf, type Turn } from './turn-port.js';

export interface CommandContext extends Turn {
  readonly command: ParsedCommand;
}

export interface CardActionContext<T> extends Turn {
  readonly data: T;
  /**
   * `automatic` when Teams asks for a user-specific view on its own (a card's `refresh` for the
   * people in its `userIds`), `manual` when the person clicked.
   */
  readonly trigger: 'automatic' | 'manual';
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
  /** A message action (the … menu of a message) with its dialog; see {@link MessageAction}. */
  messageAction<S extends z.ZodType>(action: MessageAction<S>): void;
  /**
   * A Teams meeting started or ended in a conversation the bot is in (needs the manifest's RSC
   * permission). Teams sends these only when someone actually starts the meeting, and may send
   * them twice: handlers must be idempotent and never the only way to the same result.
   */
  meetingEvent(kind: MeetingEventKind, handler: MeetingEventHandler): void;
}

export interface BotDeps {
  readonly adapter: TeamsAdapter;
  readonly botAppId: string;
  /** Who is acting: roles and organisation for the sender of an activity. */
  readonly resolvePrincipal: (identity: TurnIdentity) => Promise<Principal>;
  /** The names of the administratörer, for refusals that say who can help. */
  readonly adminNames: () => Promise<readonly string[]>;
  readonly conversations: ConversationService;
  /** Which tenants are served, and the sender's own tenant (shared channels). */
  readonly tenants: TenantGate;
  readonly logger: Logger;
  /** The time meeting events are read against when they carry none. */
  readonly now?: () => Date;
}

export type Capability = (routes: BotRoutes) => void;

export interface Bot {
  /** Runs one inbound activity: tenant gate, privacy guard, conversation reference, routes. */
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

  const messageActions = new Map<string, MessageAction<z.ZodType>>();
  const meetingEvents = new Map<MeetingEventKind, MeetingEventHandler[]>();

  /** Who acts: the sender, as a member of their own tenant (read by the tenant gate). */
  const principalOf = async (turn: TurnContext): Promise<Principal> => {
    const identity = identityOf(turn.activity, turn.turnState.get(MEMBER_TENANT) as string);
    if (!identity) throw invalidInput('Meddelandet saknar avsändare eller klientorganisation.');
    return deps.resolvePrincipal(identity);
  };
  const helpFor = (turn: TurnContext, error: unknown) =>
    whoCanHelp({ principalOf, adminNames: deps.adminNames }, turn, error);

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
          const trigger = (turn.activity.value as { trigger?: unknown } | undefined)?.trigger;
          const card = await action.handle({
            ...turnOf(turn, principal),
            data: parsed.data,
            trigger: trigger === 'automatic' ? 'automatic' : 'manual',
          });
          logger.info('card.action', { verb, outcome: 'ok', ms: Date.now() - started });
          recordTurn('card.action', verb, 'ok', started);
          return (await answerOnlyTheClicker(turn, card)) as never;
        } catch (error) {
          logger.warn('card.action', {
            verb,
            outcome: 'error',
            ms: Date.now() - started,
            ...errorFields(error),
          });
          recordTurn('card.action', verb, 'error', started);
          if (!isAppError(error)) logger.error('card.action.unexpected', errorFields(error));
          const help = await helpFor(turn, error);
          const notice = renderCard('notice', {
            title: help ? 'Du saknar behörighet' : 'Det gick inte',
            text: help ? `${errorText(error)} ${help.text}` : errorText(error),
            tone: 'attention',
            ...(help?.canFix ? { actionTitle: 'Kom igång', actionVerb: 'setup.open' } : {}),
          });
          return (await answerOnlyTheClicker(turn, notice)) as never;
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
    messageAction(action) {
      if (messageActions.has(action.commandId)) {
        throw new Error(`Message action ${action.commandId} registered twice`);
      }
      messageActions.set(action.commandId, action as unknown as MessageAction<z.ZodType>);
    },
    meetingEvent(kind, handler) {
      meetingEvents.set(kind, [...(meetingEvents.get(kind) ?? []), handler]);
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
        const help = await helpFor(turn, error);
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

  registerExtensionRoutes(app, {
    principalOf,
    helpFor,
    logger,
    now: deps.now ?? (() => new Date()),
    messageAction: (commandId) => messageActions.get(commandId),
    meetingEvents: (kind) => meetingEvents.get(kind) ?? [],
  });

  const refusalDeps = {
    principalOf,
    adminNames: deps.adminNames,
    logger,
    cardAction: (verb: string) => cardActions.get(verb),
    messageAction: (commandId: string) => messageActions.get(commandId),
  };

  return {
    verbs,
    async handle(turn) {
      const tenantId = tenantOf(turn.activity);
      const admission = await deps.tenants.admit(turn);
      if (!admission.admitted) {
        logger.warn('tenant.refused', {
          tenantId: tenantId ?? 'none',
          who: admission.reason,
          activityType: turn.activity.type,
        });
        if (turn.activity.type === ActivityTypes.Invoke) {
          await turn.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 403 } });
        }
        return;
      }
      if (admission.memberTenantId) turn.turnState.set(MEMBER_TENANT, admission.memberTenantId);
      const refusal = inspectInbound(turn.activity);
      if (refusal) {
        await refuse(refusalDeps, turn, refusal);
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

/**
 * Answers a card action with `card` for the person who clicked, and no one else.
 * @remarks teams-ai, given a card that carries a `refresh`, switches the verb to "replace for
 * all" and PUTs the clicker's card over the posted message: one person's view (details, next
 * steps) would then show to the whole channel. Sending the invoke response here first leaves
 * teams-ai nothing to do.
 */
async function answerOnlyTheClicker(turn: TurnContext, card: CardJson): Promise<CardJson> {
  await turn.sendActivity(cardInvokeResponse(card));
  return card;
}

/** Where the tenant gate leaves the sender's own tenant for the turn. */
const MEMBER_TENANT = Symbol('memberTenant');

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

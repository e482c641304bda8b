import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter.js';
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import { errorFields, type Logger } from '../log.js';
import type { Bot } from './bot.js';

/** What became of one inbound activity, in terms the HTTP layer can answer with. */
export type Received =
  | { readonly kind: 'answered'; readonly status: number; readonly body?: unknown }
  | { readonly kind: 'unauthorized' }
  /** The token could not be checked: signing keys or metadata were out of reach. */
  | { readonly kind: 'auth-unavailable' }
  | { readonly kind: 'failed' };

/** Authenticates and runs one activity; the HTTP layer's only way into the bot. */
export type ActivityReceiver = (authorization: string, activity: object) => Promise<Received>;

/** The Teams adapter with its authenticate-and-run step reachable without its HTTP handling. */
export class BotAdapter extends TeamsAdapter {
  run(
    authorization: string,
    activity: Activity,
    logic: (turn: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }
}

/**
 * Runs activities through the adapter without its own HTTP handling, which answers auth and
 * turn failures with the error's message (an upstream address) and prints stacks.
 */
export function createReceiver(adapter: BotAdapter, bot: Bot, logger: Logger): ActivityReceiver {
  return async (authorization, activity) => {
    let turnStarted = false;
    try {
      const response = await adapter.run(authorization, activity as Activity, async (turn) => {
        turnStarted = true;
        await bot.handle(turn);
      });
      return {
        kind: 'answered',
        status: response?.status ?? 200,
        ...(response?.body !== undefined ? { body: response.body } : {}),
      };
    } catch (error) {
      if (turnStarted) {
        logger.error('http.messages.failed', errorFields(error));
        return { kind: 'failed' };
      }
      const status = (error as { statusCode?: unknown } | null)?.statusCode;
      if (typeof status === 'number' && status < 500) {
        logger.warn('http.messages.unauthorized', errorFields(error));
        return { kind: 'unauthorized' };
      }
      logger.warn('http.messages.keys-unreachable', errorFields(error));
      return { kind: 'auth-unavailable' };
    }
  };
}

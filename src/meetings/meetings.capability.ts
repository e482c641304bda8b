import type { Capability } from '../bot/bot.js';
import { registerActions } from './handlers/actions.handlers.js';
import { registerAgenda } from './handlers/agenda.handlers.js';
import { handlerContext, type MeetingsDeps } from './handlers/context.js';
import { registerLive } from './handlers/live.handlers.js';
import { registerMessageAction } from './handlers/message-action.handlers.js';
import { registerMinutesFile } from './handlers/minutes-file.handlers.js';
import { registerMinutes } from './handlers/minutes.handlers.js';
import { registerSeries } from './handlers/series.handlers.js';

export type { MeetingsDeps };

/**
 * Meetings: series, agenda, minutes, action items and the meeting as it happens in Teams,
 * registered with the bot.
 */
export function meetingsCapability(deps: MeetingsDeps): Capability {
  const ctx = handlerContext(deps);
  return (routes) => {
    registerSeries(routes, ctx);
    registerAgenda(routes, ctx);
    registerMinutes(routes, ctx);
    registerMinutesFile(routes, ctx);
    registerActions(routes, ctx);
    registerLive(routes, ctx);
    registerMessageAction(routes, ctx);
  };
}

import { z } from 'zod';
import type { Principal } from '../../access/access.schema.js';
import type { BotRoutes } from '../../bot/bot.js';
import type { MeetingEvent } from '../../bot/extension-routes.js';
import { meetingEndedCard, meetingRunCard } from '../cards/meeting-cards.js';
import { minutesCard, minutesOf } from '../cards/minutes-cards.js';
import { meetingAt } from '../minutes/meeting-at.js';
import { cardKeyOf } from '../posting/channel-cards.js';
import { isCoordinator, occurrenceOf } from '../series/rules.js';
import { readSeries, windowFor, type OccurrenceRef } from '../series/unit-of-work.js';
import { refFields, refOf, startField, startOf, type HandlerContext } from './context.js';

/**
 * The meeting as it happens in Teams: when Teams says a series' meeting started, the running
 * meeting is posted in its channel or chat; when it ended, the samordnare is asked to close it
 * and send the minutes. Each is posted once per meeting (the post-once claim), however often
 * Teams sends the event, and neither is needed: Starta mötet and Avsluta mötet on the cards do
 * the same without them (Teams sends the events only when someone starts the meeting in Teams).
 */
export function registerLive(routes: BotRoutes, ctx: HandlerContext): void {
  const { deps, use } = ctx;
  const read = (ref: OccurrenceRef) => readSeries(use, ref, windowFor(ref.date, deps.now()));
  const viewOf = async (viewer: Principal | undefined) => ({
    controls: viewer !== undefined && isCoordinator(viewer),
    coordinators: await ctx.coordinators(),
  });

  /** The running meeting as `viewer` may see it (everyone's copy when undefined). */
  const runView = async (ref: OccurrenceRef, viewer: Principal | undefined, start = 0) => {
    const state = await read(ref);
    const occurrence = occurrenceOf(state, ref.date);
    if (occurrence.state === 'closed') {
      const names = await ctx.names();
      return minutesCard(
        minutesOf(state.series, occurrence, names, state.nextAfter(ref.date)?.key),
        undefined,
        start,
      );
    }
    return meetingRunCard(
      state.series,
      occurrence,
      await deps.access.listOrganisations(),
      undefined,
      start,
      await viewOf(viewer),
    );
  };

  const endedView = async (ref: OccurrenceRef, viewer: Principal | undefined) => {
    const state = await read(ref);
    return meetingEndedCard(state.series, occurrenceOf(state, ref.date), await viewOf(viewer));
  };

  routes.cardAction({
    verb: 'meeting.view',
    schema: z.object({ ...refFields, start: startField }),
    handle: async ({ principal, conversationId, data }) =>
      runView(refOf(conversationId, data), principal, startOf(data.start)),
  });

  routes.cardAction({
    verb: 'meeting.ended',
    schema: z.object(refFields),
    handle: async ({ principal, conversationId, data }) =>
      endedView(refOf(conversationId, data), principal),
  });

  const post = async (event: MeetingEvent, kind: 'run' | 'ended') => {
    const ref = await meetingAt(use, event.conversationId, event.at, event.kind);
    if (!ref) {
      deps.logger.info('meetings.event.unmatched', { kind: event.kind });
      return;
    }
    if (kind === 'ended' && occurrenceOf(await read(ref), ref.date).state === 'closed') return;
    const cardKey = cardKeyOf(kind, ref.meetingId, ref.date);
    // Teams may send the event again: the card is out already, and changes keep it current.
    if (await deps.cards.isPosted(ref.conversationId, cardKey)) return;
    const outcome = await deps.cards.postOnce(ref.conversationId, cardKey, () =>
      kind === 'run' ? runView(ref, undefined) : endedView(ref, undefined),
    );
    deps.logger.info('meetings.event.posted', { kind: event.kind, outcome });
  };

  routes.meetingEvent('start', (event) => post(event, 'run'));
  routes.meetingEvent('end', (event) => post(event, 'ended'));
}

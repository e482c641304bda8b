import { z } from 'zod';
import type { Principal } from '../../access/access.schema.js';
import type { BotRoutes } from '../../bot/bot.js';
import type { CardJson } from '../../bot/card-renderer.js';
import { errorText } from '../../bot/error-text.js';
import type { Turn } from '../../bot/turn-port.js';
import { dagordningCard } from '../cards/agenda-cards.js';
import { refused, type Notice } from '../cards/card-parts.js';
import { meetingRunCard, recordFormCard } from '../cards/meeting-cards.js';
import { minutesCard, minutesMarkdown, minutesOf } from '../cards/minutes-cards.js';
import { elementIdSchema, type Occurrence } from '../meetings.schema.js';
import { cardKeyOf } from '../posting/channel-cards.js';
import { actionReminder } from '../reminders/meeting-reminders.js';
import { closeMeeting } from '../minutes/close-meeting.js';
import { openMeeting } from '../minutes/open-meeting.js';
import { notices } from '../cards/notices.js';
import { isAppError } from '../../errors.js';
import { correctDecision } from '../minutes/correct-decision.js';
import { recordAttendance } from '../minutes/record-attendance.js';
import { recordFormFields, recordItem } from '../minutes/record-item.js';
import { isCoordinator, occurrenceOf } from '../series/rules.js';
import type { SeriesState } from '../series/series-state.js';
import { readSeries, windowFor, type OccurrenceRef } from '../series/unit-of-work.js';
import {
  isFormError,
  isRefusal,
  keptValues,
  refFields,
  refOf,
  startField,
  startOf,
  type HandlerContext,
} from './context.js';

const itemRef = { ...refFields, itemId: elementIdSchema };
const minutesKey = (ref: OccurrenceRef) => cardKeyOf('minutes', ref.meetingId, ref.date);

/** The meeting itself: attendance, notes, decisions, action items, closing and the minutes. */
export function registerMinutes(routes: BotRoutes, ctx: HandlerContext): void {
  const { deps, use } = ctx;
  const read = (ref: OccurrenceRef) => readSeries(use, ref, windowFor(ref.date, deps.now()));

  /** The running-meeting card, or the minutes once the meeting is closed. */
  const runOf = async (state: SeriesState, date: string, notice?: Notice, start = 0) => {
    const occurrence = occurrenceOf(state, date);
    if (occurrence.state === 'closed') return minutesOf_(state, occurrence, notice, start);
    return meetingRunCard(
      state.series,
      occurrence,
      await deps.access.listOrganisations(),
      notice,
      start,
      { controls: true, coordinators: await ctx.coordinators() },
    );
  };
  const minutesOf_ = async (
    state: SeriesState,
    occurrence: Occurrence,
    notice?: Notice,
    start = 0,
  ) =>
    minutesCard(
      minutesOf(state.series, occurrence, await ctx.names(), state.nextAfter(occurrence.date)?.key),
      notice,
      start,
    );
  const guard = async (
    ref: OccurrenceRef,
    work: () => Promise<CardJson>,
    onRefusal: (notice: Notice) => Promise<CardJson> = async (notice) =>
      runOf(await read(ref), ref.date, notice),
  ) => {
    try {
      return await work();
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return onRefusal(refused(errorText(error)));
    }
  };

  routes.cardAction({
    verb: 'meeting.run',
    schema: z.object({ ...refFields, start: startField }),
    handle: async ({ principal, conversationId, data }) => {
      const ref = refOf(conversationId, data);
      try {
        const state = await openMeeting(use, principal, ref);
        return await runOf(state, ref.date, undefined, startOf(data.start));
      } catch (error) {
        if (!isAppError(error, 'forbidden')) throw error;
        const state = await read(ref);
        return dagordningCard(
          state.series,
          occurrenceOf(state, ref.date),
          await ctx.names(),
          notices.onlyCoordinatorsStart,
        );
      }
    },
  });

  routes.cardAction({
    verb: 'meeting.minutes',
    schema: z.object({ ...refFields, start: startField }),
    handle: async ({ conversationId, data }) => {
      const ref = refOf(conversationId, data);
      const state = await read(ref);
      return minutesOf_(state, occurrenceOf(state, ref.date), undefined, startOf(data.start));
    },
  });

  routes.cardAction({
    verb: 'meeting.attendance',
    schema: z.object({ ...refFields, attendance: z.string().max(4000).optional() }),
    handle: async ({ principal, conversationId, activityId, data }) => {
      const ref = refOf(conversationId, data);
      return guard(ref, async () => {
        const { state } = await recordAttendance(
          use,
          principal,
          ref,
          data.attendance ?? '',
          await ctx.knownOrganisations(),
          activityId,
        );
        ctx.publish.live(ref);
        return runOf(state, ref.date, notices.attendanceSaved);
      });
    },
  });

  const recordForm = async (
    principal: Principal,
    ref: OccurrenceRef,
    itemId: string,
    values: Readonly<Record<string, unknown>>,
    notice = '',
  ) => {
    const state = await openMeeting(use, principal, ref);
    const occurrence = occurrenceOf(state, ref.date);
    return recordFormCard(
      state.series,
      occurrence,
      itemId,
      await ctx.people(principal),
      values,
      notice,
    );
  };

  routes.cardAction({
    verb: 'meeting.recordForm',
    schema: z.object(itemRef),
    handle: async ({ principal, conversationId, data }) => {
      const ref = refOf(conversationId, data);
      return guard(ref, () => recordForm(principal, ref, data.itemId, {}));
    },
  });

  const recordSchema = z.object({ ...itemRef, requestId: z.uuid(), ...recordFormFields });
  const reopenRecord = async (
    turn: Turn,
    values: Readonly<Record<string, unknown>>,
    notice: string,
  ) => {
    const { meetingId, date, itemId } = z.object(itemRef).parse(values);
    return recordForm(
      turn.principal,
      refOf(turn.conversationId, { meetingId, date }),
      itemId,
      values,
      notice,
    );
  };

  routes.cardAction({
    verb: 'meeting.recordItem',
    schema: recordSchema,
    reopen: reopenRecord,
    handle: async (turn) => {
      const { principal, conversationId, data } = turn;
      const ref = refOf(conversationId, data);
      try {
        const people = isCoordinator(principal) ? await ctx.people(principal) : [];
        const ownerOf = (id: string) => {
          const person = people.find((p) => p.id === id);
          return person ? { id: person.id, name: person.displayName ?? '' } : undefined;
        };
        const { state, result } = await recordItem(
          use,
          principal,
          ref,
          data.itemId,
          data.requestId,
          data,
          ownerOf,
        );
        const action = result.action;
        if (action) {
          ctx.later(`task|${action.meetingId}|${action.date}|${action.id}`, async () => {
            const personal = await deps.personalConversationOf(action.ownerId);
            const input = actionReminder(state.series, action, personal);
            if (input.dueAt > deps.now()) await deps.reminders.schedule(input);
          });
        }
        ctx.publish.live(ref);
        return runOf(state, ref.date, notices.itemRecorded);
      } catch (error) {
        if (isFormError(error))
          return reopenRecord(turn, keptValues(data, error), errorText(error));
        if (!isRefusal(error)) throw error;
        return runOf(await read(ref), ref.date, refused(errorText(error)));
      }
    },
  });

  routes.cardAction({
    verb: 'meeting.close',
    schema: z.object(refFields),
    handle: async ({ principal, conversationId, activityId, data }) => {
      const ref = refOf(conversationId, data);
      return guard(ref, async () => {
        const { state, result, kind } = await closeMeeting(use, principal, ref, activityId);
        const occurrence = occurrenceOf(state, ref.date);
        const names = await ctx.names();
        const minutes = minutesOf(state.series, occurrence, names, state.nextAfter(ref.date)?.key);
        const build = async () => minutesCard(minutes);
        if (result.alreadyClosed || kind === 'unchanged') {
          // Minutes that never went out (the closing instance died after the close) go out now.
          if (!(await deps.cards.isPosted(ref.conversationId, minutesKey(ref)))) {
            await deps.cards.postOnce(ref.conversationId, minutesKey(ref), build);
          }
          return minutesCard(minutes, notices.alreadyClosed);
        }
        ctx.publish.agenda(ref);
        ctx.publish.live(ref);
        if (result.carriedTo) ctx.publish.agenda({ ...ref, date: result.carriedTo });
        const outcome = await deps.cards.postOnce(ref.conversationId, minutesKey(ref), build);
        const personal = await deps.personalConversationOf(principal.userId);
        if (personal) {
          ctx.later(`minutes-markdown|${ref.meetingId}|${ref.date}`, async () => {
            for (const part of minutesMarkdown(minutes)) {
              await deps.sendPersonal(principal.userId, part);
            }
          });
        }
        return minutesCard(
          minutes,
          notices.closed(
            outcome,
            {
              ...(result.carriedTo ? { to: result.carriedTo } : {}),
              moved: result.carried,
              notMoved: result.notCarried.length,
            },
            personal !== undefined,
          ),
        );
      });
    },
  });

  const correctionSchema = z
    .object({ ...refFields, decisionId: elementIdSchema, requestId: z.uuid() })
    .catchall(z.union([z.string().max(8000), z.number()]));

  routes.cardAction({
    verb: 'meeting.correctDecision',
    schema: correctionSchema,
    reopen: async (turn, values, notice) => {
      const ref = refOf(turn.conversationId, z.object(refFields).parse(values));
      const state = await read(ref);
      return minutesOf_(state, occurrenceOf(state, ref.date), refused(notice));
    },
    handle: async ({ principal, conversationId, data }) => {
      const ref = refOf(conversationId, data);
      const text = String(data[`correction-${data.decisionId}`] ?? '');
      return guard(
        ref,
        async () => {
          const { state, result } = await correctDecision(
            use,
            principal,
            ref,
            data.decisionId,
            data.requestId,
            text,
          );
          if (result.changed) ctx.publish.all(ref);
          return minutesOf_(state, occurrenceOf(state, ref.date), notices.corrected);
        },
        async (notice) => {
          const state = await read(ref);
          return minutesOf_(state, occurrenceOf(state, ref.date), notice);
        },
      );
    },
  });
}

import { z } from 'zod';
import type { Principal } from '../../access/access.schema.js';
import type { BotRoutes, CardActionContext } from '../../bot/bot.js';
import { renderCard, type CardJson } from '../../bot/card-renderer.js';
import type { CommandName } from '../../bot/command-table.js';
import type { Turn } from '../../bot/turn-port.js';
import { errorText } from '../../bot/error-text.js';
import { helpView } from '../../help/help.cards.js';
import { invalidInput } from '../../errors.js';
import { foldForLookup } from '../../text.js';
import { agendaCard } from '../cards/agenda-cards.js';
import { ok, type Notice } from '../cards/card-parts.js';
import { meetingFormCard, meetingListCard } from '../cards/list-cards.js';
import { meetingRunCard } from '../cards/meeting-cards.js';
import { minutesCard, minutesOf } from '../cards/minutes-cards.js';
import { MeetingQueries, type UpcomingOccurrence } from '../meetings.service.js';
import {
  cancelMeeting,
  planMeeting,
  planSeries,
  reminderIdOf,
} from '../reminders/meeting-reminders.js';
import { cancelOccurrence } from '../series/cancel-occurrence.js';
import { cardKeyOf } from '../posting/channel-cards.js';
import { createSeries, requireSeriesCreator } from '../series/create-series.js';
import { openMeeting } from '../minutes/open-meeting.js';
import { notices } from '../cards/notices.js';
import { moveOccurrence } from '../series/move-occurrence.js';
import { occurrenceOf } from '../series/rules.js';
import { seriesFormSchema } from '../series/series-form.js';
import type { SeriesState } from '../series/series-state.js';
import { readSeries, windowFor } from '../series/unit-of-work.js';
import {
  answer,
  isRefusal,
  keptValues,
  refFields,
  refOf,
  startField,
  startOf,
  type HandlerContext,
} from './context.js';

const upcomingOf = (state: SeriesState): UpcomingOccurrence[] =>
  state.upcoming().map((planned) => ({ series: state.series, planned }));

/** `/<command> hjälp`: the help card for that one command. */
export async function sendHelp(turn: Turn, name: CommandName): Promise<void> {
  await turn.reply(renderCard('help', helpView({ only: name })));
}

export const asksForHelp = (args: readonly string[]) =>
  args.length > 0 && ['hjalp', 'help'].includes(foldForLookup(args[0]!));

/** Series: `/möte`, `/möten`, the meeting form, the list, moving and cancelling a meeting. */
export function registerSeries(routes: BotRoutes, ctx: HandlerContext): void {
  const { deps, use } = ctx;
  const queries = new MeetingQueries(use);
  const listCard = async (conversationId: string, notice?: Notice, start = 0) =>
    meetingListCard(await queries.upcoming(conversationId), notice, start);

  /** The reminders of a new series, and a kallelse whose time has passed sent at once. */
  /**
   * The reminders of a new series; a kallelse whose time had passed before the series existed
   * is caught up by the reminder engine (due at once) and sent straight away.
   */
  const afterCreate = (
    state: SeriesState,
    actor: Principal,
    late?: { date: string; dueAt: Date; meetingStart: Date },
  ) =>
    ctx.later(`plan|${state.series.id}`, async () => {
      await planSeries(deps.reminders, state);
      if (!late) return;
      const id = reminderIdOf(state.series.id, late.date, 'kallelse');
      const planned = await deps.reminders.schedule({
        id,
        kind: 'kallelse',
        conversationId: state.series.conversationId,
        dueAt: late.dueAt,
        catchUpUntil: late.meetingStart,
        title: state.series.name,
        text: notices.kallelseText,
        cardKey: cardKeyOf('kallelse', state.series.id, late.date),
        ownerId: actor.userId,
        createdBy: actor.userId,
      });
      if (planned.caughtUp) {
        await deps.reminders.sendNow(actor, { id, dueAt: planned.reminder.dueAt });
      }
    });

  routes.command('möte', async (turn) => {
    const { principal, conversationId, command } = turn;
    const [sub] = command.args.map((a) => foldForLookup(a));
    if (asksForHelp(command.args)) return sendHelp(turn, 'möte');
    if (sub === 'ny') {
      requireSeriesCreator(principal);
      await turn.reply(meetingFormCard(await deps.access.listOrganisations()));
      return;
    }
    if (sub !== undefined && sub !== 'protokoll') {
      throw invalidInput('Skriv /möte, /möte ny eller /möte protokoll.');
    }
    const next = (await queries.upcoming(conversationId, 400)).find(
      (o) => o.planned.status !== 'cancelled' && o.planned.end > deps.now(),
    );
    if (!next) {
      await turn.reply(notices.noMeetings);
      return;
    }
    const ref = { conversationId, meetingId: next.series.id, date: next.planned.key };
    const state = await readSeries(use, ref, windowFor(ref.date, deps.now()));
    const occurrence = occurrenceOf(state, ref.date);
    const names = await ctx.names();
    if (sub === 'protokoll') {
      await openMeeting(use, principal, ref);
      await turn.reply(
        occurrence.state === 'closed'
          ? minutesCard(minutesOf(state.series, occurrence, names, state.nextAfter(ref.date)?.key))
          : meetingRunCard(
              state.series,
              occurrence,
              await deps.access.listOrganisations(),
              undefined,
              0,
              {
                // In a channel the reply is everyone's copy; the samordnare's Teams refreshes it.
                controls: turn.conversationKind === 'personal',
                coordinators: await ctx.coordinators(),
              },
            ),
      );
      return;
    }
    await turn.reply(
      agendaCard(state, occurrence, names, {
        coordinators: await ctx.coordinators(),
        ...(turn.conversationKind === 'personal' ? { viewer: principal } : {}),
      }),
    );
  });

  routes.command('möten', async (turn) => {
    if (asksForHelp(turn.command.args)) return sendHelp(turn, 'möten');
    await turn.reply(await listCard(turn.conversationId));
  });

  const reopenForm = async (
    _turn: Turn,
    values: Readonly<Record<string, unknown>>,
    notice: string,
  ) => meetingFormCard(await deps.access.listOrganisations(), values, notice);

  routes.cardAction({
    verb: 'meeting.create',
    schema: seriesFormSchema,
    reopen: reopenForm,
    async handle(turn: CardActionContext<z.infer<typeof seriesFormSchema>>) {
      const { principal, conversationId, data } = turn;
      try {
        const created = await createSeries(
          use,
          principal,
          conversationId,
          data,
          await ctx.knownOrganisations(),
        );
        const { series } = created.state;
        if (created.created) afterCreate(created.state, principal, created.lateKallelse);
        const said = [
          created.created
            ? notices.seriesCreated(series.name)
            : notices.seriesRepeated(series.name),
          created.lateKallelse
            ? notices.lateKallelse(created.lateKallelse.date, created.lateKallelse.dueAt)
            : '',
        ];
        return meetingListCard(upcomingOf(created.state), ok(said.filter(Boolean).join(' ')));
      } catch (error) {
        if (!isRefusal(error)) throw error;
        return reopenForm(turn, keptValues(data, error), errorText(error));
      }
    },
  });

  routes.cardAction({
    verb: 'meetings.list',
    schema: z.object({ start: startField }),
    handle: async ({ conversationId, data }) =>
      listCard(conversationId, undefined, startOf(data.start)),
  });

  const formInputs = z.object(refFields).catchall(z.union([z.string().max(200), z.number()]));
  const input = (data: Record<string, unknown>, name: string) =>
    String(data[`${name}-${String(data.meetingId)}-${String(data.date)}`] ?? '');

  routes.cardAction({
    verb: 'meeting.move',
    schema: formInputs,
    handle: async ({ principal, conversationId, activityId, data }): Promise<CardJson> => {
      const ref = refOf(conversationId, data);
      return answer(
        async () => {
          const moved = await moveOccurrence(
            use,
            principal,
            ref,
            input(data, 'toDate'),
            input(data, 'toTime'),
            activityId,
          );
          if (moved.kind === 'changed') {
            const { series } = moved.state;
            const { toStart, fromStart } = moved.result;
            ctx.later(`move|${series.id}|${ref.date}`, async () => {
              await cancelMeeting(deps.reminders, series, ref.date, new Date(fromStart));
              await planMeeting(deps.reminders, series, ref.date, new Date(toStart), deps.now());
            });
            ctx.publish.agenda(ref);
          }
          const { toDate, toTime } = moved.result;
          return {
            card: meetingListCard(upcomingOf(moved.state), notices.moved(toDate, toTime)),
          };
        },
        (notice) => listCard(conversationId, notice),
      );
    },
  });

  routes.cardAction({
    verb: 'meeting.cancel',
    schema: formInputs,
    handle: async ({ principal, conversationId, activityId, data }): Promise<CardJson> => {
      const ref = refOf(conversationId, data);
      return answer(
        async () => {
          const { state, result, kind } = await cancelOccurrence(
            use,
            principal,
            ref,
            input(data, 'moveTo'),
            activityId,
          );
          if (kind === 'changed') {
            ctx.later(`cancel|${state.series.id}|${ref.date}`, () =>
              cancelMeeting(deps.reminders, state.series, ref.date, new Date(result.startsAt)),
            );
            ctx.publish.agenda(ref);
            if (result.to) ctx.publish.agenda({ ...ref, date: result.to });
          }
          return {
            card: meetingListCard(
              upcomingOf(state),
              notices.cancelled(result.moved, result.notMoved, result.to),
            ),
          };
        },
        (notice) => listCard(conversationId, notice),
      );
    },
  });
}

import { z } from 'zod';
import type { Principal } from '../../access/access.schema.js';
import type { BotRoutes } from '../../bot/bot.js';
import { errorText } from '../../bot/error-text.js';
import { toLocal } from '../../schedule/local-time.js';
import { completeAction } from '../actions/complete-action.js';
import { refused, type Notice } from '../cards/card-parts.js';
import { notices } from '../cards/notices.js';
import { actionItemsCard } from '../cards/list-cards.js';
import { elementIdSchema } from '../meetings.schema.js';
import { actionReminderIdOf } from '../reminders/meeting-reminders.js';
import { actionReminderStep } from '../series/timetable.js';
import { asksForHelp, sendHelp } from './series.handlers.js';
import { isRefusal, refFields, startField, startOf, type HandlerContext } from './context.js';

/** Action items: `/uppgifter`, the list card and marking one done. */
export function registerActions(routes: BotRoutes, ctx: HandlerContext): void {
  const { deps, use } = ctx;
  const heading = (personal: boolean) => (personal ? 'Mina uppgifter' : 'Öppna uppgifter');
  const open = (principal: Principal, conversationId: string, personal: boolean) =>
    personal ? deps.repo.actionsOwnedBy(principal.userId) : deps.repo.openActionsIn(conversationId);
  const listCard = async (
    principal: Principal,
    conversationId: string,
    personal: boolean,
    notice?: Notice,
    start = 0,
  ) =>
    actionItemsCard(
      heading(personal),
      await open(principal, conversationId, personal),
      toLocal(deps.now()).date,
      notice,
      start,
    );

  routes.command('uppgifter', async (turn) => {
    if (asksForHelp(turn.command.args)) return sendHelp(turn, 'uppgifter');
    const personal = turn.conversationKind === 'personal';
    await turn.reply(await listCard(turn.principal, turn.conversationId, personal));
  });

  routes.cardAction({
    verb: 'tasks.list',
    schema: z.object({ start: startField }),
    handle: async ({ principal, conversationId, conversationKind, data }) =>
      listCard(
        principal,
        conversationId,
        conversationKind === 'personal',
        undefined,
        startOf(data.start),
      ),
  });

  routes.cardAction({
    verb: 'tasks.done',
    schema: z.object({
      ...refFields,
      id: elementIdSchema,
      conversationId: z.string().min(1).max(1000),
    }),
    handle: async ({ principal, conversationId, conversationKind, activityId, data }) => {
      const personal = conversationKind === 'personal';
      const ref = {
        conversationId: data.conversationId,
        meetingId: data.meetingId,
        date: data.date,
      };
      try {
        const { state, result } = await completeAction(use, principal, ref, data.id, activityId);
        const { action } = result;
        if (result.changed) {
          ctx.later(`task-done|${action.meetingId}|${action.date}|${action.id}`, async () => {
            const step = actionReminderStep(state.series.stepDays, action.dueDate);
            await deps.reminders.cancelPlanned({
              id: actionReminderIdOf(action),
              dueAt: step.at.toISOString(),
            });
          });
        }
        const remaining =
          state
            .occurrence(data.date)
            ?.actions.filter((a) => !a.done && (!personal || a.ownerId === principal.userId)) ?? [];
        return actionItemsCard(
          heading(personal),
          remaining,
          toLocal(deps.now()).date,
          notices.actionDone(action),
        );
      } catch (error) {
        if (!isRefusal(error)) throw error;
        return listCard(principal, conversationId, personal, refused(errorText(error)));
      }
    },
  });
}

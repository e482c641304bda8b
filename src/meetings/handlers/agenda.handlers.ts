import { z } from 'zod';
import type { Principal } from '../../access/access.schema.js';
import type { BotRoutes } from '../../bot/bot.js';
import type { CardJson } from '../../bot/card-renderer.js';
import { errorText } from '../../bot/error-text.js';
import type { Turn } from '../../bot/turn-port.js';
import { addItem } from '../agenda/add-item.js';
import { approveItem } from '../agenda/approve-item.js';
import { deferItem } from '../agenda/defer-item.js';
import { editItem, itemForEdit } from '../agenda/edit-item.js';
import { itemFormFields } from '../agenda/item-form.js';
import { reorderItem } from '../agenda/reorder-item.js';
import { timeboxItem } from '../agenda/timebox-item.js';
import { withdrawItem } from '../agenda/withdraw-item.js';
import { sendDagordning } from '../agenda/send-dagordning.js';
import { notices } from '../cards/notices.js';
import { agendaCard, dagordningCard, itemCard, itemFormCard } from '../cards/agenda-cards.js';
import { refused, type Notice } from '../cards/card-parts.js';
import { elementIdSchema } from '../meetings.schema.js';
import { itemOf, occurrenceOf } from '../series/rules.js';
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
import { newId } from '../../ids.js';

const itemRef = { ...refFields, itemId: elementIdSchema };
const addSchema = z.object({ ...refFields, requestId: z.uuid(), ...itemFormFields });
const editSchema = z.object({ ...itemRef, ...itemFormFields });
const itemActionSchema = z.object({
  ...itemRef,
  action: z.enum(['withdraw', 'approve', 'defer', 'up', 'down', 'timebox']),
  /** The item's number on the clicked card, so a repeated "move up" moves it only once. */
  number: z.union([z.number().int().min(0).max(100), z.string().regex(/^\d{1,3}$/)]).optional(),
  minutes: z.union([z.string().max(10), z.number()]).optional(),
});

/** The agenda: the kallelse card, adding and managing items, and the dagordning. */
export function registerAgenda(routes: BotRoutes, ctx: HandlerContext): void {
  const { deps, use } = ctx;
  const read = (ref: OccurrenceRef) => readSeries(use, ref, windowFor(ref.date, deps.now()));
  /** The kallelse as `viewer` sees it: the answer to a click is the clicker's own view. */
  const agendaOf = async (
    viewer: Principal,
    state: SeriesState,
    date: string,
    notice?: Notice,
    start = 0,
  ) =>
    agendaCard(state, occurrenceOf(state, date), await ctx.names(), {
      ...(notice ? { notice } : {}),
      viewer,
      coordinators: await ctx.coordinators(),
      start,
    });
  /** The agenda as it stands, with the reason a change was refused. */
  const refusedOn = async (viewer: Principal, ref: OccurrenceRef, notice: Notice) =>
    agendaOf(viewer, await read(ref), ref.date, notice);
  const guard = async (viewer: Principal, ref: OccurrenceRef, work: () => Promise<CardJson>) => {
    try {
      return await work();
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return refusedOn(viewer, ref, refused(errorText(error)));
    }
  };

  routes.cardAction({
    verb: 'agenda.open',
    schema: z.object({ ...refFields, start: startField }),
    handle: async ({ principal, conversationId, data }) => {
      const ref = refOf(conversationId, data);
      return agendaOf(principal, await read(ref), ref.date, undefined, startOf(data.start));
    },
  });

  const reopenAdd = async (
    turn: Turn,
    values: Readonly<Record<string, unknown>>,
    notice: string,
  ) => {
    const ref = refOf(turn.conversationId, refSchemaOf(values));
    const state = await read(ref);
    const requestId = z.uuid().safeParse(values.requestId);
    return itemFormCard(
      state.series,
      occurrenceOf(state, ref.date),
      { kind: 'add', requestId: requestId.success ? requestId.data : newId() },
      values,
      notice,
    );
  };

  routes.cardAction({
    verb: 'agenda.add',
    schema: addSchema,
    reopen: reopenAdd,
    handle: async (turn) => {
      const { principal, conversationId, data } = turn;
      const ref = refOf(conversationId, data);
      try {
        const { state, result } = await addItem(use, principal, ref, data.requestId, data);
        if (!result.created) {
          return agendaOf(principal, state, ref.date, notices.itemAlreadyAdded);
        }
        ctx.publish.agenda(ref);
        return agendaOf(principal, state, ref.date, notices.itemAdded(result.item));
      } catch (error) {
        if (isFormError(error)) return reopenAdd(turn, keptValues(data, error), errorText(error));
        if (!isRefusal(error)) throw error;
        return refusedOn(principal, ref, refused(errorText(error)));
      }
    },
  });

  routes.cardAction({
    verb: 'agenda.manage',
    schema: z.object(itemRef),
    handle: async ({ principal, conversationId, data }) => {
      const ref = refOf(conversationId, data);
      return guard(principal, ref, async () => {
        const state = await read(ref);
        const occurrence = occurrenceOf(state, ref.date);
        const item = itemOf(occurrence, data.itemId);
        return itemCard(state, occurrence, item, principal, await ctx.names());
      });
    },
  });

  routes.cardAction({
    verb: 'agenda.item',
    schema: itemActionSchema,
    handle: async ({ principal, conversationId, activityId, data }) => {
      const ref = refOf(conversationId, data);
      const { itemId } = data;
      return guard(principal, ref, async () => {
        switch (data.action) {
          case 'withdraw': {
            const done = await withdrawItem(use, principal, ref, itemId, activityId);
            if (done.result.changed) ctx.publish.agenda(ref);
            return agendaOf(principal, done.state, ref.date, notices.itemWithdrawn);
          }
          case 'approve': {
            const done = await approveItem(use, principal, ref, itemId, activityId);
            if (done.result.changed) ctx.publish.agenda(ref);
            return agendaOf(principal, done.state, ref.date, notices.itemApproved);
          }
          case 'defer': {
            const done = await deferItem(use, principal, ref, itemId, activityId);
            if (done.result.changed) {
              ctx.publish.agenda(ref);
              ctx.publish.agenda({ ...ref, date: done.result.to });
            }
            return agendaOf(principal, done.state, ref.date, notices.itemDeferred(done.result.to));
          }
          case 'up':
          case 'down': {
            const number = data.number === undefined ? undefined : Number(data.number);
            const done = await reorderItem(
              use,
              principal,
              ref,
              itemId,
              data.action,
              number,
              activityId,
            );
            if (done.result.moved) ctx.publish.agenda(ref);
            return agendaOf(
              principal,
              done.state,
              ref.date,
              notices.itemReordered(done.result.moved),
            );
          }
          case 'timebox': {
            const done = await timeboxItem(use, principal, ref, itemId, activityId, data.minutes);
            if (done.result.changed) ctx.publish.agenda(ref);
            const minutes = itemOf(occurrenceOf(done.state, ref.date), itemId).minutes;
            return agendaOf(principal, done.state, ref.date, notices.itemTimeboxed(minutes));
          }
        }
      });
    },
  });

  routes.cardAction({
    verb: 'agenda.editForm',
    schema: z.object(itemRef),
    handle: async ({ principal, conversationId, data }) => {
      const ref = refOf(conversationId, data);
      return guard(principal, ref, async () => {
        const { state, item } = await itemForEdit(use, principal, ref, data.itemId);
        return itemFormCard(
          state.series,
          occurrenceOf(state, ref.date),
          { kind: 'edit', itemId: item.id },
          item,
        );
      });
    },
  });

  const reopenEdit = async (
    turn: Turn,
    values: Readonly<Record<string, unknown>>,
    notice: string,
  ) => {
    const ref = refOf(turn.conversationId, refSchemaOf(values));
    const itemId = elementIdSchema.parse(values.itemId);
    const state = await read(ref);
    return itemFormCard(
      state.series,
      occurrenceOf(state, ref.date),
      { kind: 'edit', itemId },
      values,
      notice,
    );
  };

  routes.cardAction({
    verb: 'agenda.edit',
    schema: editSchema,
    reopen: reopenEdit,
    handle: async (turn) => {
      const { principal, conversationId, activityId, data } = turn;
      const ref = refOf(conversationId, data);
      try {
        const { state, result } = await editItem(
          use,
          principal,
          ref,
          data.itemId,
          activityId,
          data,
        );
        if (!result.changed) return agendaOf(principal, state, ref.date, notices.itemUnchanged);
        ctx.publish.agenda(ref);
        return agendaOf(principal, state, ref.date, notices.itemEdited(result.item));
      } catch (error) {
        if (isFormError(error)) return reopenEdit(turn, keptValues(data, error), errorText(error));
        if (!isRefusal(error)) throw error;
        return refusedOn(principal, ref, refused(errorText(error)));
      }
    },
  });

  routes.cardAction({
    verb: 'agenda.final',
    schema: z.object(refFields),
    handle: async ({ principal, conversationId, data }) => {
      const ref = refOf(conversationId, data);
      return guard(principal, ref, async () => {
        const names = await ctx.names();
        const { state, occurrence, outcome } = await sendDagordning(
          ctx.post,
          principal,
          ref,
          (current, meeting) => dagordningCard(current.series, meeting, names),
        );
        return agendaCard(state, occurrence, names, {
          notice: notices.dagordning[outcome],
          viewer: principal,
          coordinators: await ctx.coordinators(),
        });
      });
    },
  });
}

/** The meeting a reopened form belongs to (its values are the card data as sent). */
function refSchemaOf(values: Readonly<Record<string, unknown>>) {
  return z.object(refFields).parse(values);
}

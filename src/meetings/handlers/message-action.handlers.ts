import { z } from 'zod';
import { hasRole } from '../../access/access.schema.js';
import type { BotRoutes } from '../../bot/bot.js';
import { errorText } from '../../bot/error-text.js';
import type { DialogAnswer, SourceMessage } from '../../bot/extension-routes.js';
import type { Turn } from '../../bot/turn-port.js';
import { forbidden } from '../../errors.js';
import { formatWhen, formatWhenShort } from '../../schedule/format.js';
import { addItem } from '../agenda/add-item.js';
import { nextMeetings, type NextMeeting } from '../agenda/next-meetings.js';
import { truncate } from '../cards/card-budget.js';
import { renderMeetingCard } from '../cards/meeting-card-names.js';
import { LIMITS, seriesIdSchema } from '../meetings.schema.js';
import { localDateSchema } from '../../schedule/schedule.schema.js';
import { isFormError, isRefusal, keptValues, type HandlerContext } from './context.js';
import { newId } from '../../ids.js';

/** The message action's id in the manifest (`composeExtensions[].commands[].id`). */
export const ADD_TO_AGENDA = 'addToAgenda';

const occurrenceChoice = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const [meetingId, date] = value.split('|');
    const ref = z.object({ meetingId: seriesIdSchema, date: localDateSchema }).safeParse({
      meetingId,
      date,
    });
    if (!ref.success) {
      ctx.addIssue({ code: 'custom', message: 'Välj ett möte i listan.' });
      return z.NEVER;
    }
    return ref.data;
  });

const submitSchema = z.object({
  requestId: z.uuid(),
  occurrence: occurrenceChoice,
  itemTitle: z.string().max(4000).optional(),
  itemDescription: z.string().max(8000).optional(),
  itemCategory: z.string().max(40).optional(),
  itemPresenter: z.string().max(4000).optional(),
  itemMinutes: z.union([z.string().max(10), z.number()]).optional(),
});

/** The item form's field ids (`itemTitle`) mapped to the agenda item's (`title`), both ways. */
const FIELDS = {
  itemTitle: 'title',
  itemDescription: 'description',
  itemCategory: 'category',
  itemPresenter: 'presenter',
  itemMinutes: 'minutes',
} as const;

const NOT_HERE =
  'Lägg till på dagordningen fungerar i kanalen eller gruppchatten där mötena hålls, inte i chatten med boten.';
const NO_MEETING =
  'Det finns inget kommande möte här som tar emot punkter. En samordnare skapar en mötesserie med /möte ny.';

/**
 * "Lägg till på dagordningen" in the … menu of any message: a form filled in from the message
 * (the first line as the heading, the text as the description) for the next meeting of the
 * channel, added by the same use case and checks as the kallelse's form. The message has passed
 * the inbound privacy guard before this runs (a personnummer in it refuses the whole action).
 */
export function registerMessageAction(routes: BotRoutes, ctx: HandlerContext): void {
  const { deps, use } = ctx;

  const meetingsOr = async (turn: Turn): Promise<NextMeeting[] | DialogAnswer> => {
    if (turn.conversationKind === 'personal') return { kind: 'message', text: NOT_HERE };
    if (!hasRole(turn.principal, 'samordnare', 'admin', 'representant', 'coach')) {
      throw forbidden(
        'Bara samordnare och organisationernas representanter kan lägga till punkter.',
      );
    }
    const meetings = await nextMeetings(use, turn.conversationId);
    return meetings.length > 0 ? meetings : { kind: 'message', text: NO_MEETING };
  };

  const form = (
    meetings: readonly NextMeeting[],
    values: Readonly<Record<string, unknown>>,
    notice = '',
    shortened = false,
  ): DialogAnswer => {
    const requestId = z.uuid().safeParse(values.requestId);
    const text = (key: string, fallback = '') =>
      typeof values[key] === 'string' || typeof values[key] === 'number'
        ? String(values[key])
        : fallback;
    const first = meetings[0]!;
    return {
      kind: 'form',
      title: 'Lägg till på dagordningen',
      card: renderMeetingCard('dialog-agenda-item', {
        notice,
        shortened,
        requestId: requestId.success ? requestId.data : newId(),
        meetings: meetings.map((m) => ({
          title: `${m.seriesName} · ${formatWhenShort(m.startsAt)}`,
          value: `${m.ref.meetingId}|${m.ref.date}`,
        })),
        values: {
          occurrence: text('occurrence', `${first.ref.meetingId}|${first.ref.date}`),
          itemTitle: text('itemTitle'),
          itemDescription: text('itemDescription'),
          itemCategory: text('itemCategory', 'fraga'),
          itemPresenter: text('itemPresenter'),
          itemMinutes: Number(text('itemMinutes', '10')) || 10,
        },
      }),
    };
  };

  /** The form again with what was sent (a refused field emptied) and why. */
  const again = async (
    turn: Turn,
    values: Readonly<Record<string, unknown>>,
    notice: string,
  ): Promise<DialogAnswer> => {
    const meetings = await meetingsOr(turn);
    if (!Array.isArray(meetings)) {
      return meetings.kind === 'message' && notice !== ''
        ? { kind: 'message', text: `${notice} ${meetings.text}` }
        : meetings;
    }
    const occurrence = typeof values.occurrence === 'string' ? values.occurrence : undefined;
    const known = meetings.some((m) => `${m.ref.meetingId}|${m.ref.date}` === occurrence);
    return form(meetings, known ? values : { ...values, occurrence: undefined }, notice);
  };

  routes.messageAction({
    commandId: ADD_TO_AGENDA,
    schema: submitSchema,
    async open(turn, message: SourceMessage) {
      const meetings = await meetingsOr(turn);
      if (!Array.isArray(meetings)) return meetings;
      const text = message.text.trim();
      const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? '';
      return form(
        meetings,
        {
          itemTitle: truncate(firstLine.trim(), LIMITS.itemTitle),
          itemDescription: truncate(text, LIMITS.itemDescription),
        },
        '',
        text.length > LIMITS.itemDescription,
      );
    },
    reopen: (turn, _message, values, notice) => again(turn, values, notice),
    async submit(turn, _message, data) {
      const ref = { conversationId: turn.conversationId, ...data.occurrence };
      const item = Object.fromEntries(
        Object.entries(FIELDS).map(([field, name]) => [name, data[field as keyof typeof FIELDS]]),
      );
      const sent = { ...data, occurrence: `${ref.meetingId}|${ref.date}` };
      try {
        const { state, result } = await addItem(use, turn.principal, ref, data.requestId, item);
        if (result.created) ctx.publish.agenda(ref);
        const when = formatWhen(new Date(state.occurrence(ref.date)?.startsAt ?? ref.date));
        const waiting =
          result.item.status === 'pendingApproval'
            ? ' Sista dag för punkter har passerat, så den väntar på samordnarens godkännande.'
            : '';
        return {
          kind: 'message',
          text: result.created
            ? `Punkten är tillagd på dagordningen för ${state.series.name} ${when}.${waiting}`
            : `Punkten fanns redan på dagordningen för ${state.series.name} ${when}. Inget lades till igen.`,
        };
      } catch (error) {
        if (isFormError(error)) {
          const kept = keptValues(renamed(sent), error);
          return again(turn, backToForm(kept), errorText(error));
        }
        if (!isRefusal(error)) throw error;
        deps.logger.info('meetings.messageAction.refused', { reason: 'refusal' });
        return again(turn, sent, errorText(error));
      }
    },
  });
}

/** Form values under the item's field names (so a refused field is found by its name). */
function renamed(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  for (const [field, name] of Object.entries(FIELDS)) {
    out[name] = values[field];
    delete out[field];
  }
  return out;
}

function backToForm(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  for (const [field, name] of Object.entries(FIELDS)) {
    out[field] = values[name];
    delete out[name];
  }
  return out;
}

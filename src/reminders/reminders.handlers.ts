import { createHash } from 'node:crypto';
import { z } from 'zod';
import { hasRole } from '../access/access.schema.js';
import type { Capability } from '../bot/bot.js';
import { renderCard } from '../bot/card-renderer.js';
import { invalidInput } from '../errors.js';
import { formatWhen } from '../schedule/format.js';
import { addDays, toInstant, toLocal } from '../schedule/local-time.js';
import { localDateSchema, localTimeSchema } from '../schedule/schedule.schema.js';
import { foldForLookup } from '../text.js';
import { reminderListView } from './reminders.cards.js';
import { reminderRefSchema } from './reminders.schema.js';
import type { ReminderService, SendNowOutcome } from './reminders.service.js';

const USAGE =
  '/påminnelser ny <ÅÅÅÅ-MM-DD|idag|imorgon> <TT:MM> <text> eller /påminnelser ny om <minuter> min <text>';
const MAX_TEXT = 500;

const reminderText = z
  .string()
  .min(1, `Skriv vad påminnelsen gäller. ${USAGE}`)
  .max(MAX_TEXT, `Texten får vara högst ${MAX_TEXT} tecken.`);
const minutesAhead = z.coerce
  .number({ message: `Ange antal minuter som en siffra. ${USAGE}` })
  .int('Ange hela minuter.')
  .min(1, 'Ange minst 1 minut.')
  .max(60 * 24 * 60, 'Högst 60 dagar framåt.');

/** Reads `ny …` into a due time and a text, or explains what was wrong. */
export function parseNewReminder(
  args: readonly string[],
  now: Date,
): { dueAt: Date; text: string } {
  const [first, second, third, ...rest] = args;
  if (first === undefined) throw invalidInput(`Ange när och vad. ${USAGE}`);
  if (foldForLookup(first) === 'om') {
    const minutes = minutesAhead.safeParse(second);
    if (!minutes.success) throw invalidInput(minutes.error.issues[0]!.message);
    if (!third || !/^min(ut|uter)?$/.test(foldForLookup(third)))
      throw invalidInput(`Skriv ”min” efter antalet. ${USAGE}`);
    const text = reminderText.safeParse(rest.join(' '));
    if (!text.success) throw invalidInput(text.error.issues[0]!.message);
    return { dueAt: new Date(now.getTime() + minutes.data * 60_000), text: text.data };
  }
  const today = toLocal(now).date;
  const word = foldForLookup(first);
  const date = word === 'idag' ? today : word === 'imorgon' ? addDays(today, 1) : first;
  const parsedDate = localDateSchema.safeParse(date);
  if (!parsedDate.success) throw invalidInput(`${parsedDate.error.issues[0]!.message} ${USAGE}`);
  const parsedTime = localTimeSchema.safeParse(second);
  if (!parsedTime.success) throw invalidInput(`${parsedTime.error.issues[0]!.message} ${USAGE}`);
  const text = reminderText.safeParse([third, ...rest].filter((w) => w !== undefined).join(' '));
  if (!text.success) throw invalidInput(text.error.issues[0]!.message);
  const dueAt = toInstant(parsedDate.data, parsedTime.data);
  if (dueAt <= now) throw invalidInput('Tiden har redan passerat. Välj en tid framåt.');
  return { dueAt, text: text.data };
}

/** What "Skicka nu" answers, by what really happened (see the delivery rule). */
const sendNowNotices: Record<SendNowOutcome, { text: string; isError: boolean }> = {
  sent: { text: 'Påminnelsen är skickad.', isError: false },
  'already-sent': {
    text: 'Påminnelsen var redan skickad. Den skickades inte igen.',
    isError: false,
  },
  'in-progress': {
    text: 'Påminnelsen skickas just nu. Den skickas inte en gång till.',
    isError: false,
  },
  retrying: {
    text: 'Det gick inte att skicka påminnelsen just nu. Den ligger kvar, och boten försöker igen.',
    isError: true,
  },
  uncertain: {
    text: 'Det är oklart om påminnelsen kom fram: Teams gav inget tydligt svar. Den skickas inte igen, för att undvika dubbletter – kontrollera kanalen och skicka den själv om den saknas.',
    isError: true,
  },
  failed: {
    text: 'Påminnelsen kunde inte skickas, och boten försöker inte igen. Den som planerade den har fått veta varför.',
    isError: true,
  },
  withdrawn: { text: 'Påminnelsen är borttagen och skickas inte.', isError: true },
};

export function remindersCapability(reminders: ReminderService, now: () => Date): Capability {
  return (routes) => {
    routes.command(
      'påminnelser',
      async ({ reply, activityId, principal, conversationId, command }) => {
        const [sub, ...rest] = command.args;
        if (sub === undefined) {
          const list = await reminders.upcoming(conversationId);
          const canManage = hasRole(principal, 'samordnare', 'admin');
          await reply(renderCard('reminders', reminderListView(list, canManage)));
          return;
        }
        if (foldForLookup(sub) !== 'ny') throw invalidInput(`Okänt underkommando. ${USAGE}`);
        const { dueAt, text } = parseNewReminder(rest, now());
        const fingerprint = createHash('sha256')
          .update(`${conversationId}|${activityId || dueAt.toISOString()}`)
          .digest('hex')
          .slice(0, 16);
        const { reminder } = await reminders.scheduleCustom(principal, {
          id: `custom.${fingerprint}`,
          conversationId,
          dueAt,
          text,
        });
        await reply(`Påminnelsen skickas här ${formatWhen(new Date(reminder.dueAt))}.`);
      },
    );

    const listAfter = async (
      conversationId: string,
      canManage: boolean,
      notice: { text: string; isError: boolean },
    ) =>
      renderCard(
        'reminders',
        reminderListView(await reminders.upcoming(conversationId), canManage, notice),
      );

    routes.cardAction({
      verb: 'reminders.list',
      schema: z.object({}),
      handle: async ({ principal, conversationId }) =>
        listAfter(conversationId, hasRole(principal, 'samordnare', 'admin'), {
          text: '',
          isError: false,
        }),
    });

    routes.cardAction({
      verb: 'reminders.pause',
      schema: reminderRefSchema,
      handle: async ({ principal, conversationId, data }) => {
        await reminders.pause(principal, data);
        return listAfter(conversationId, true, {
          text: 'Påminnelsen är pausad.',
          isError: false,
        });
      },
    });

    routes.cardAction({
      verb: 'reminders.resume',
      schema: reminderRefSchema,
      handle: async ({ principal, conversationId, data }) => {
        await reminders.resume(principal, data);
        return listAfter(conversationId, true, {
          text: 'Påminnelsen är återupptagen.',
          isError: false,
        });
      },
    });

    routes.cardAction({
      verb: 'reminders.sendNow',
      schema: reminderRefSchema,
      handle: async ({ principal, conversationId, data }) => {
        const outcome = await reminders.sendNow(principal, data);
        const notice = sendNowNotices[outcome];
        return listAfter(conversationId, true, notice);
      },
    });
  };
}

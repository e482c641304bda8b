import { CardFactory, type Activity, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { BackgroundWork } from '../background.js';
import { hasRole, type Principal } from '../access/access.schema.js';
import type { AccessService } from '../access/access.service.js';
import { cardMessage, textMessage, type Capability } from '../bot/bot.js';
import { cardAttachment, renderCard, type CardJson } from '../bot/card-renderer.js';
import type { CommandName } from '../bot/command-table.js';
import { parseCardInput } from '../bot/card-input.js';
import { errorText } from '../bot/error-text.js';
import { helpView } from '../help/help.cards.js';
import { invalidInput, isAppError } from '../errors.js';
import type { Logger } from '../log.js';
import { toLocal } from '../schedule/local-time.js';
import {
  holidayPolicySchema,
  localDateSchema,
  localTimeSchema,
  type Schedule,
} from '../schedule/schedule.schema.js';
import { foldForLookup } from '../text.js';
import {
  actionItemsView,
  agendaItemFormView,
  agendaView,
  dagordningView,
  meetingFormView,
  meetingListView,
  meetingRunView,
  minutesMarkdown,
  minutesView,
  orgNames,
  type MeetingFormValues,
  type Notice,
} from './meetings.cards.js';
import { defaultDurationMinutes, defaultOffsets } from './meeting-types.js';
import { itemCategorySchema, meetingTypeSchema } from './meetings.schema.js';
import {
  meetingCardKeys,
  type ItemChange,
  type MeetingService,
  type OccurrenceRef,
} from './meetings.service.js';

export interface MeetingHandlerDeps {
  readonly meetings: MeetingService;
  readonly access: AccessService;
  readonly now: () => Date;
  /** Sends text to a user's personal chat with the bot; false when there is none yet. */
  readonly sendPersonal: (userId: string, text: string) => Promise<boolean>;
  /** Where follow-up work that need not delay the answer runs (updating posted cards). */
  readonly background: BackgroundWork;
  /** Replaces a card the bot posted under `cardKey`; false when it was never posted. */
  readonly updateCard: (
    conversationId: string,
    cardKey: string,
    card: CardJson | (() => Promise<CardJson>),
  ) => Promise<boolean>;
  /** Posts into a conversation (rate-limited, retried) and remembers the post under `cardKey`. */
  readonly post: (
    conversationId: string,
    activity: Partial<Activity>,
    cardKey: string,
  ) => Promise<{ readonly kind: string }>;
  readonly logger: Logger;
}

const refSchema = z.object({ meetingId: z.string().min(1).max(80), date: localDateSchema });
const ok = (text: string): Notice => ({ text, isError: false });
const failed = (error: unknown): Notice => ({ text: errorText(error), isError: true });

/** Form fields arrive as strings (or are missing when left empty). */
const field = z
  .string()
  .optional()
  .transform((v) => (v ?? '').normalize('NFC').trim());
const optionalInt = (min: number, max: number, label: string) =>
  field.pipe(
    z
      .string()
      .regex(/^\d*$/, `${label}: skriv ett heltal.`)
      .transform((v) => (v === '' ? undefined : Number(v)))
      .refine((v) => v === undefined || (v >= min && v <= max), {
        message: `${label}: välj ett tal mellan ${min} och ${max}.`,
      }),
  );

const meetingFormSchema = z.object({
  requestId: z.string().min(8).max(100).optional(),
  type: meetingTypeSchema,
  name: field.pipe(z.string().min(1, 'Skriv ett namn på mötet.').max(120, 'Namnet är för långt.')),
  recurrence: z.enum(['monthly', 'weekly', 'dates']),
  nth: z.enum(['1', '2', '3', '4', '-1']).default('2'),
  weekday: z.enum(['1', '2', '3', '4', '5']).default('2'),
  intervalWeeks: optionalInt(1, 8, 'Var N:e vecka'),
  dates: field,
  startDate: field.pipe(localDateSchema),
  time: field.pipe(localTimeSchema),
  duration: optionalInt(10, 600, 'Längd'),
  place: field.pipe(z.string().max(500, 'Platsen är för lång.')),
  organisations: field,
  holidayPolicy: holidayPolicySchema.default('nextWorkday'),
  summerBreak: z.enum(['true', 'false']).default('true'),
  callDays: optionalInt(1, 60, 'Kallelse'),
  deadlineDays: optionalInt(0, 59, 'Sista dag för punkter'),
  agendaDays: optionalInt(0, 30, 'Dagordning'),
});

const itemFields = {
  title: field.pipe(
    z.string().min(1, 'Skriv en rubrik.').max(150, 'Rubriken är för lång (högst 150 tecken).'),
  ),
  description: field.pipe(z.string().max(1000, 'Beskrivningen är för lång (högst 1000 tecken).')),
  category: itemCategorySchema.default('fraga'),
  presenter: field.pipe(z.string().max(120, 'Namnet på föredraganden är för långt.')),
  minutes: optionalInt(1, 240, 'Minuter').transform((v) => v ?? 10),
};
const itemFormSchema = refSchema.extend({ requestId: z.string().min(8).max(100), ...itemFields });
const itemEditSchema = z.object(itemFields);
const itemRefSchema = refSchema.extend({
  itemId: z.string().min(1).max(80),
  /** The item's number on the clicked card, so a repeated "move up" moves it only once. */
  number: z.number().int().min(1).max(100).optional(),
});

const parse = parseCardInput;

function scheduleFrom(form: z.infer<typeof meetingFormSchema>, durationDefault: number): Schedule {
  const recurrence: Schedule['recurrence'] =
    form.recurrence === 'monthly'
      ? {
          kind: 'monthlyNthWeekday',
          nth: Number(form.nth) as 1 | 2 | 3 | 4 | -1,
          weekday: Number(form.weekday),
          intervalMonths: 1,
        }
      : form.recurrence === 'weekly'
        ? { kind: 'weekly', weekday: Number(form.weekday), intervalWeeks: form.intervalWeeks ?? 1 }
        : { kind: 'dates', dates: parseDates(form.dates) };
  return {
    startDate: form.startDate,
    time: form.time,
    durationMinutes: form.duration ?? durationDefault,
    recurrence,
    holidayPolicy: form.holidayPolicy,
    ...(form.summerBreak === 'true' ? { summerBreak: { from: '06-22', to: '08-09' } } : {}),
    exceptions: [],
  };
}

function parseDates(text: string): string[] {
  const dates = text
    .split(/[\s,;]+/)
    .map((d) => d.trim())
    .filter(Boolean);
  if (dates.length === 0) throw invalidInput('Skriv minst ett datum, till exempel 2027-01-19.');
  for (const date of dates) {
    if (!localDateSchema.safeParse(date).success) {
      throw invalidInput(`”${date.slice(0, 20)}” är inte ett datum. Skriv ÅÅÅÅ-MM-DD.`);
    }
  }
  return [...new Set(dates)].sort();
}

export function meetingsCapability(deps: MeetingHandlerDeps): Capability {
  const { meetings, access } = deps;

  const names = async () => orgNames(await access.listOrganisations());

  const agendaCard = async (ref: OccurrenceRef, notice?: Notice, shared = false) => {
    const { series, occurrence } = await meetings.occurrence(ref);
    const deadline = meetings.deadlineOf(series, occurrence);
    const { refresh, ...card } = renderCard(
      'agenda',
      agendaView(series, occurrence, deadline, await names(), notice, shared),
    );
    return refresh ? { refresh, ...card } : card;
  };

  /**
   * Brings the channel's posted kallelse (and dagordning, once out) up to date after a change,
   * so everyone sees the same agenda, not only the person who clicked.
   * @remarks The answer to a click carries no `refresh`: teams-ai would then replace the
   * clicked message for everyone with that person's notice. A failed update leaves the change
   * saved; the card's own refresh and the Uppdatera button catch up. It runs after the answer
   * to the click, coalesced per occurrence, so a click is not kept waiting for the channel.
   */
  const publish = (ref: OccurrenceRef) =>
    deps.background.coalesce(
      `agenda|${ref.conversationId}|${ref.meetingId}|${ref.date}`,
      'meetings.agenda.publish',
      async () => {
        const keys = meetingCardKeys(ref.meetingId, ref.date);
        await Promise.all([
          deps.updateCard(ref.conversationId, keys.agenda, () => agendaCard(ref, undefined, true)),
          deps.updateCard(ref.conversationId, keys.dagordning, () => dagordningCard(ref)),
        ]);
      },
    );
  async function dagordningCard(ref: OccurrenceRef, notice?: Notice) {
    const { series, occurrence } = await meetings.occurrence(ref);
    return renderCard('dagordning', dagordningView(series, occurrence, await names(), notice));
  }
  const runCard = async (actor: Principal, ref: OccurrenceRef, notice?: Notice) => {
    const { series, occurrence } = await meetings.occurrence(ref);
    if (occurrence.state === 'closed') return minutesCard(ref, notice);
    const people = hasRole(actor, 'samordnare', 'admin') ? await access.listPeople(actor) : [];
    return renderCard(
      'meeting-run',
      meetingRunView(
        series,
        occurrence,
        await meetings.decisions(ref),
        await access.listOrganisations(),
        people,
        notice,
      ),
    );
  };
  const minutesData = async (ref: OccurrenceRef, notice?: Notice) => {
    const { series, occurrence } = await meetings.occurrence(ref);
    return minutesView(
      series,
      occurrence,
      await meetings.decisions(ref),
      await meetings.actionItemsFor(ref),
      await names(),
      occurrence.closedByName ?? '',
      notice,
    );
  };
  const minutesCard = async (ref: OccurrenceRef, notice?: Notice) =>
    renderCard('minutes', await minutesData(ref, notice));
  const listCard = async (conversationId: string, notice?: Notice) =>
    renderCard('meetings', meetingListView(await meetings.upcoming(conversationId), notice));

  /**
   * Runs a change and answers with the card it came from, carrying a confirmation or the
   * Swedish reason it was refused. A refused change leaves the shared card as it was, with
   * the reason shown, instead of replacing it with an error.
   */
  const answer = async (
    change: () => Promise<Notice>,
    card: (notice: Notice) => Promise<CardJson>,
  ): Promise<CardJson> => {
    let notice: Notice;
    try {
      notice = await change();
    } catch (error) {
      if (!isAppError(error) || error.reason === 'storage-unavailable') throw error;
      notice = failed(error);
    }
    return card(notice);
  };

  const postOrFail = async (conversationId: string, card: CardJson, cardKey: string) => {
    const outcome = await deps.post(conversationId, cardMessage(wrap(card)), cardKey);
    if (outcome.kind !== 'sent') {
      throw invalidInput('Kortet kunde inte skickas till kanalen. Försök igen om en stund.');
    }
  };

  /** Runs `work`; a refusal shows the agenda with the Swedish reason instead. */
  const answerOrAgenda = async (ref: OccurrenceRef, work: () => Promise<CardJson>) => {
    try {
      return await work();
    } catch (error) {
      if (!isAppError(error) || error.reason === 'storage-unavailable') throw error;
      return agendaCard(ref, failed(error));
    }
  };

  return (routes) => {
    routes.command('möte', async ({ turn, principal, conversationId, command }) => {
      const [sub] = command.args.map((a) => foldForLookup(a));
      if (asksForHelp(command.args)) return sendHelp(turn, 'möte');
      if (sub === 'ny') {
        if (!hasRole(principal, 'samordnare', 'admin')) {
          throw invalidInput('Bara samordnare kan skapa mötesserier.');
        }
        const form = meetingFormView(await access.listOrganisations());
        await turn.sendActivity(cardMessage(cardAttachment('meeting-form', form)));
        return;
      }
      const next = await meetings.next(conversationId);
      if (!next) {
        await turn.sendActivity(
          textMessage('Inga möten är planerade här. En samordnare skapar en serie med /möte ny.'),
        );
        return;
      }
      const ref = { conversationId, meetingId: next.series.id, date: next.planned.key };
      if (sub === 'protokoll') {
        await turn.sendActivity(cardMessage(wrap(await runCard(principal, ref))));
        return;
      }
      if (sub !== undefined) {
        throw invalidInput('Skriv /möte, /möte ny eller /möte protokoll.');
      }
      await turn.sendActivity(cardMessage(wrap(await agendaCard(ref, undefined, true))));
    });

    routes.command('möten', async ({ turn, conversationId, command }) => {
      if (asksForHelp(command.args)) return sendHelp(turn, 'möten');
      await turn.sendActivity(cardMessage(wrap(await listCard(conversationId))));
    });

    routes.command('uppgifter', async ({ turn, principal, conversationId, command }) => {
      if (asksForHelp(command.args)) return sendHelp(turn, 'uppgifter');
      const personal = turn.activity.conversation.conversationType === 'personal';
      const items = await meetings.openActionItems(
        conversationId,
        personal ? principal.userId : undefined,
      );
      const heading = personal ? 'Mina uppgifter' : 'Öppna uppgifter';
      await turn.sendActivity(
        cardMessage(
          cardAttachment('action-items', actionItemsView(heading, items, toLocal(deps.now()).date)),
        ),
      );
    });

    routes.cardAction(
      'meeting.create',
      z.object({}).loose(),
      async ({ principal, conversationId, data }) => {
        const raw = data as Record<string, unknown>;
        const organisations = await access.listOrganisations();
        const values = Object.fromEntries(
          Object.entries(raw).filter(([, v]) => typeof v === 'string'),
        ) as Partial<MeetingFormValues>;
        try {
          const form = parse(meetingFormSchema, raw);
          const known = new Set(organisations.map((o) => o.id));
          const orgIds = form.organisations.split(',').filter((id) => id !== '');
          if (orgIds.some((id) => !known.has(id)))
            throw invalidInput('Okänd organisation i listan.');
          const { series, created } = await meetings.createSeries(principal, conversationId, {
            ...(form.requestId ? { requestId: form.requestId } : {}),
            type: form.type,
            name: form.name,
            schedule: scheduleFrom(form, defaultDurationMinutes[form.type]),
            place: form.place,
            organisations: orgIds,
            ...(form.callDays !== undefined ||
            form.deadlineDays !== undefined ||
            form.agendaDays !== undefined
              ? {
                  offsets: {
                    callDays: form.callDays ?? defaultOffsets[form.type].callDays,
                    deadlineDays: form.deadlineDays ?? defaultOffsets[form.type].deadlineDays,
                    agendaDays: form.agendaDays ?? defaultOffsets[form.type].agendaDays,
                  },
                }
              : {}),
          });
          return listCard(
            conversationId,
            ok(
              created
                ? `Mötesserien ”${series.name}” är skapad. Kallelser skickas hit automatiskt.`
                : `Mötesserien ”${series.name}” fanns redan. Ingen ny serie skapades.`,
            ),
          );
        } catch (error) {
          if (!isAppError(error) || error.reason === 'storage-unavailable') throw error;
          // Refused text is never shown back: it may hold the personnummer.
          const kept = isAppError(error, 'personal-data')
            ? { ...values, name: '', place: '' }
            : values;
          return renderCard('meeting-form', meetingFormView(organisations, kept, errorText(error)));
        }
      },
    );

    routes.cardAction('meetings.list', z.object({}).loose(), async ({ conversationId }) =>
      listCard(conversationId),
    );

    routes.cardAction('agenda.open', refSchema.loose(), async ({ conversationId, data }) =>
      agendaCard({ conversationId, ...pick(data) }),
    );

    routes.cardAction(
      'agenda.add',
      z.object({}).loose(),
      async ({ principal, conversationId, data }) => {
        const ref = { conversationId, ...pick(parse(refSchema.loose(), data)) };
        return answer(
          async () => {
            const input = parse(itemFormSchema, data);
            const { item, created } = await meetings.addItem(principal, ref, input);
            if (!created) return ok('Punkten fanns redan. Den lades inte till igen.');
            publish(ref);
            return ok(
              item.status === 'pendingApproval'
                ? `”${item.title}” är tillagd efter sista dag och väntar på samordnarens godkännande.`
                : `”${item.title}” är tillagd på dagordningen.`,
            );
          },
          (notice) => agendaCard(ref, notice),
        );
      },
    );

    routes.cardAction(
      'agenda.item',
      itemRefSchema.loose(),
      async ({ principal, conversationId, data }) => {
        const ref = { conversationId, ...pick(data) };
        const raw = data as Record<string, unknown>;
        const apply = async (): Promise<Notice> => {
          const action = z
            .enum(['withdraw', 'approve', 'defer', 'up', 'down', 'timebox'])
            .safeParse(raw[`action-${data.itemId}`]);
          if (!action.success) throw invalidInput('Välj vad du vill göra med punkten.');
          switch (action.data) {
            case 'withdraw':
              await meetings.withdrawItem(principal, ref, data.itemId);
              return ok('Punkten är tillbakadragen.');
            case 'approve':
              await meetings.approveItem(principal, ref, data.itemId);
              return ok('Punkten är godkänd och står på dagordningen.');
            case 'defer': {
              const { to } = await meetings.deferItem(principal, ref, data.itemId);
              publish({ ...ref, date: to });
              return ok(`Punkten är flyttad till mötet ${to}.`);
            }
            case 'up':
            case 'down': {
              const { moved } = await meetings.moveItem(
                principal,
                ref,
                data.itemId,
                action.data,
                data.number,
              );
              return ok(moved ? 'Ordningen är ändrad.' : 'Ordningen var redan ändrad.');
            }
            case 'timebox': {
              const minutes = parse(
                optionalInt(1, 240, 'Minuter').refine((v) => v !== undefined, 'Ange minuter.'),
                String(raw[`minutes-${data.itemId}`] ?? ''),
              );
              await meetings.setTimebox(principal, ref, data.itemId, minutes!);
              return ok(`Punkten har nu ${minutes} minuter.`);
            }
          }
        };
        return answer(
          async () => {
            const notice = await apply();
            publish(ref);
            return notice;
          },
          (notice) => agendaCard(ref, notice),
        );
      },
    );

    const itemForm = async (ref: OccurrenceRef, item: ItemChange & { id: string }, notice = '') => {
      const { series, occurrence } = await meetings.occurrence(ref);
      return renderCard('agenda-item', agendaItemFormView(series, occurrence, item, notice));
    };

    routes.cardAction(
      'agenda.editForm',
      itemRefSchema.loose(),
      async ({ principal, conversationId, data }) => {
        const ref = { conversationId, ...pick(data) };
        return answerOrAgenda(ref, async () =>
          itemForm(ref, await meetings.itemForEdit(principal, ref, data.itemId)),
        );
      },
    );

    routes.cardAction(
      'agenda.edit',
      itemRefSchema.loose(),
      async ({ principal, conversationId, data }) => {
        const ref = { conversationId, ...pick(data) };
        const raw = data as Record<string, unknown>;
        const refused = async (error: unknown, typed: Partial<ItemChange>) => {
          const stored = await meetings.itemForEdit(principal, ref, data.itemId);
          return itemForm(ref, { ...stored, ...typed }, errorText(error));
        };
        let input: ItemChange;
        try {
          input = parse(itemEditSchema, raw);
        } catch (error) {
          return answerOrAgenda(ref, () => refused(error, typedValues(raw)));
        }
        return answerOrAgenda(ref, async () => {
          try {
            const { changed } = await meetings.editItem(principal, ref, data.itemId, input);
            if (!changed) return agendaCard(ref, ok('Inget var ändrat i punkten.'));
            publish(ref);
            return agendaCard(ref, ok(`”${input.title}” är ändrad.`));
          } catch (error) {
            // The text is never shown back: it may hold the personnummer that was refused.
            if (isAppError(error, 'personal-data')) return refused(error, {});
            throw error;
          }
        });
      },
    );

    routes.cardAction(
      'agenda.final',
      refSchema.loose(),
      async ({ principal, conversationId, data }) => {
        const ref = { conversationId, ...pick(data) };
        return answer(
          async () => {
            if (!hasRole(principal, 'samordnare', 'admin')) {
              throw invalidInput('Bara samordnare kan skicka ut dagordningen.');
            }
            const card = await dagordningCard(ref);
            const key = meetingCardKeys(ref.meetingId, ref.date).dagordning;
            if (await deps.updateCard(conversationId, key, card)) {
              return ok('Dagordningen i kanalen är uppdaterad.');
            }
            await postOrFail(conversationId, card, key);
            return ok('Dagordningen är skickad till kanalen.');
          },
          (notice) => agendaCard(ref, notice),
        );
      },
    );

    routes.cardAction(
      'meeting.run',
      refSchema.loose(),
      async ({ principal, conversationId, data }) => {
        const ref = { conversationId, ...pick(data) };
        if (!hasRole(principal, 'samordnare', 'admin')) {
          return dagordningCard(ref, failed(invalidInput('Bara samordnare kan starta mötet.')));
        }
        return runCard(principal, ref);
      },
    );

    routes.cardAction(
      'meeting.attendance',
      refSchema.loose(),
      async ({ principal, conversationId, data }) => {
        const ref = { conversationId, ...pick(data) };
        const raw = data as Record<string, unknown>;
        return answer(
          async () => {
            const ids = String(raw.attendance ?? '')
              .split(',')
              .filter(Boolean);
            const known = new Set((await access.listOrganisations()).map((o) => o.id));
            if (ids.some((id) => !known.has(id))) throw invalidInput('Okänd organisation.');
            await meetings.recordAttendance(principal, ref, ids);
            return ok('Närvaron är sparad.');
          },
          (notice) => runCard(principal, ref, notice),
        );
      },
    );

    routes.cardAction(
      'meeting.recordItem',
      refSchema
        .extend({ itemId: z.string().min(1).max(80), requestId: z.string().min(8).max(100) })
        .loose(),
      async ({ principal, conversationId, data }) => {
        const ref = { conversationId, ...pick(data) };
        const raw = data as Record<string, unknown>;
        const value = (name: string) => String(raw[`${name}-${data.itemId}`] ?? '').trim();
        return answer(
          async () => {
            const ownerId = value('actionOwner');
            const people = ownerId ? await access.listPeople(principal) : [];
            const owner = people.find((p) => p.id === ownerId);
            if (ownerId && !owner) throw invalidInput('Välj en ansvarig i listan.');
            const due = value('actionDue');
            if (due && !localDateSchema.safeParse(due).success) {
              throw invalidInput('Datumet för uppgiften ska skrivas ÅÅÅÅ-MM-DD.');
            }
            const input = {
              notes: value('notes'),
              decision: value('decision'),
              actionWhat: value('actionWhat'),
              actionOwnerId: ownerId,
              actionOwnerName: owner?.displayName ?? '',
              actionDue: due,
            };
            if (
              input.notes.length > 2000 ||
              input.decision.length > 1000 ||
              input.actionWhat.length > 300
            ) {
              throw invalidInput('Texten är för lång.');
            }
            await meetings.recordItem(principal, ref, data.itemId, data.requestId, input);
            return ok('Punkten är sparad.');
          },
          (notice) => runCard(principal, ref, notice),
        );
      },
    );

    routes.cardAction(
      'meeting.close',
      refSchema.loose(),
      async ({ principal, conversationId, data }) => {
        const ref = { conversationId, ...pick(data) };
        try {
          const { alreadyClosed, carriedTo } = await meetings.close(principal, ref);
          if (alreadyClosed) return minutesCard(ref, ok('Mötet var redan avslutat.'));
          publish(ref);
          if (carriedTo) publish({ ...ref, date: carriedTo });
          const view = await minutesData(ref);
          const key = meetingCardKeys(ref.meetingId, ref.date).minutes;
          const posted = await deps.post(
            conversationId,
            cardMessage(wrap(renderCard('minutes', view))),
            key,
          );
          const sent = await deps.sendPersonal(principal.userId, minutesMarkdown(view));
          const notes = [
            posted.kind === 'sent'
              ? 'Minnesanteckningarna är skickade till kanalen.'
              : 'Minnesanteckningarna kunde inte skickas till kanalen just nu; de finns här på kortet.',
            carriedTo ? `Punkter som inte behandlades är flyttade till mötet ${carriedTo}.` : '',
            sent
              ? 'Minnesanteckningarna i Markdown finns i din chatt med boten.'
              : 'Öppna en chatt med boten för att få minnesanteckningarna i Markdown.',
          ].filter(Boolean);
          return renderCard('minutes', { ...view, notice: notes.join(' '), noticeIsError: false });
        } catch (error) {
          if (!isAppError(error) || error.reason === 'storage-unavailable') throw error;
          return runCard(principal, ref, failed(error));
        }
      },
    );

    routes.cardAction(
      'meeting.correctDecision',
      refSchema
        .extend({ decisionId: z.string().min(1).max(80), requestId: z.string().min(8).max(100) })
        .loose(),
      async ({ principal, conversationId, data }) => {
        const ref = { conversationId, ...pick(data) };
        const raw = data as Record<string, unknown>;
        return answer(
          async () => {
            const text = String(raw[`correction-${data.decisionId}`] ?? '').trim();
            if (text === '') throw invalidInput('Skriv det rättade beslutet.');
            if (text.length > 1000)
              throw invalidInput('Beslutet är för långt (högst 1000 tecken).');
            await meetings.correctDecision(principal, ref, data.decisionId, data.requestId, text);
            const key = meetingCardKeys(ref.meetingId, ref.date).minutes;
            await deps.updateCard(conversationId, key, await minutesCard(ref));
            return ok('Rättelsen är sparad. Det ursprungliga beslutet finns kvar i historiken.');
          },
          (notice) => minutesCard(ref, notice),
        );
      },
    );

    routes.cardAction(
      'meeting.move',
      refSchema.loose(),
      async ({ principal, conversationId, data }) => {
        const ref = { conversationId, ...pick(data) };
        const raw = data as Record<string, unknown>;
        return answer(
          async () => {
            const toDate = parse(localDateSchema, raw[`toDate-${ref.meetingId}-${ref.date}`]);
            const time = String(raw[`toTime-${ref.meetingId}-${ref.date}`] ?? '');
            const toTime = time === '' ? undefined : parse(localTimeSchema, time);
            await meetings.moveOccurrence(principal, ref, toDate, toTime);
            publish(ref);
            return ok(`Mötet är flyttat till ${toDate}${toTime ? ` kl. ${toTime}` : ''}.`);
          },
          (notice) => listCard(conversationId, notice),
        );
      },
    );

    routes.cardAction(
      'meeting.cancel',
      refSchema.loose(),
      async ({ principal, conversationId, data }) => {
        const ref = { conversationId, ...pick(data) };
        const raw = data as Record<string, unknown>;
        return answer(
          async () => {
            const target = String(raw[`moveTo-${ref.meetingId}-${ref.date}`] ?? '');
            const toDate = target === '' ? undefined : parse(localDateSchema, target);
            const { movedItems, to } = await meetings.cancelOccurrence(principal, ref, toDate);
            publish(ref);
            if (to) publish({ ...ref, date: to });
            return ok(
              movedItems > 0 && to
                ? `Mötet är inställt. ${movedItems} punkter är flyttade till mötet ${to}.`
                : 'Mötet är inställt.',
            );
          },
          (notice) => listCard(conversationId, notice),
        );
      },
    );

    routes.cardAction(
      'tasks.list',
      z.object({}).loose(),
      async ({ turn, principal, conversationId }) => {
        const personal = turn.activity.conversation.conversationType === 'personal';
        const items = await meetings.openActionItems(
          conversationId,
          personal ? principal.userId : undefined,
        );
        return renderCard(
          'action-items',
          actionItemsView(
            personal ? 'Mina uppgifter' : 'Öppna uppgifter',
            items,
            toLocal(deps.now()).date,
          ),
        );
      },
    );

    routes.cardAction(
      'tasks.done',
      z
        .object({ id: z.string().min(1).max(200), conversationId: z.string().min(1).max(1000) })
        .loose(),
      async ({ turn, principal, conversationId, data }) => {
        const personal = turn.activity.conversation.conversationType === 'personal';
        const heading = personal ? 'Mina uppgifter' : 'Öppna uppgifter';
        const list = async (notice: Notice) =>
          renderCard(
            'action-items',
            actionItemsView(
              heading,
              await meetings.openActionItems(
                conversationId,
                personal ? principal.userId : undefined,
              ),
              toLocal(deps.now()).date,
              notice,
            ),
          );
        return answer(async () => {
          const item = await meetings.completeActionItem(principal, data.conversationId, data.id);
          return ok(`”${item.what}” är markerad som klar.`);
        }, list);
      },
    );
  };
}

/** What the user typed in the edit form, kept when the form comes back with an error. */
function typedValues(raw: Record<string, unknown>): Partial<ItemChange> {
  const text = (name: string) => (typeof raw[name] === 'string' ? { [name]: raw[name] } : {});
  const category = itemCategorySchema.safeParse(raw.category);
  const minutes = Number(raw.minutes);
  return {
    ...text('title'),
    ...text('description'),
    ...text('presenter'),
    ...(category.success ? { category: category.data } : {}),
    ...(Number.isInteger(minutes) && minutes >= 1 && minutes <= 240 ? { minutes } : {}),
  };
}

const asksForHelp = (args: readonly string[]) =>
  args.length > 0 && ['hjalp', 'help'].includes(foldForLookup(args[0]!));

/** `/<command> hjälp`: the help card for that one command. */
async function sendHelp(turn: TurnContext, name: CommandName): Promise<void> {
  const view = helpView();
  const commands = view.commands.filter((c) => c.command === `/${name}`);
  await turn.sendActivity(cardMessage(cardAttachment('help', { ...view, commands })));
}

const pick = (data: { meetingId: string; date: string }) => ({
  meetingId: data.meetingId,
  date: data.date,
});

const wrap = (card: CardJson) => CardFactory.adaptiveCard(card);

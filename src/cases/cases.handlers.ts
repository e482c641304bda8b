import { CardFactory } from 'botbuilder';
import { z } from 'zod';
import { hasRole, type Principal } from '../access/access.schema.js';
import type { AccessService } from '../access/access.service.js';
import { cardMessage, textMessage, type Capability, type CommandContext } from '../bot/bot.js';
import { parseCardInput } from '../bot/card-input.js';
import { renderCard, type CardJson } from '../bot/card-renderer.js';
import { errorText } from '../bot/error-text.js';
import { forbidden, invalidInput, isAppError } from '../errors.js';
import { formatWhen } from '../schedule/format.js';
import { localDateSchema } from '../schedule/schedule.schema.js';
import {
  CASE_USAGE,
  parseCaseCode,
  parseCaseCommand,
  type CaseCommand,
} from './cases.arguments.js';
import {
  carriedText,
  decisionView,
  detailView,
  formView,
  logView,
  orgNames,
  queueView,
  submittedView,
  waitingListView,
  NEXT_MEETING,
  NO_MEETING_CARD,
  type Notice,
} from './cases.cards.js';
import {
  caseOutcomeLabels,
  caseOutcomeSchema,
  caseRequestSchema,
  caseStatusLabels,
  caseUrgencySchema,
} from './cases.schema.js';
import type { CaseAdmission, CaseMeetings, CaseService } from './cases.service.js';

export interface CaseHandlerDeps {
  readonly cases: CaseService;
  readonly meetings: CaseMeetings;
  readonly access: AccessService;
  /** Sends a card to a user's personal chat with the bot; false when there is none yet. */
  readonly sendPersonalCard: (
    userId: string,
    card: CardJson,
    attempts?: number,
  ) => Promise<boolean>;
  /**
   * The enrolment form for the person a decision granted an insats (the participants
   * capability); without it the decision is recorded and enrolment happens with /deltagare ny.
   */
  readonly enrolmentCard?: (principal: Principal, admission: CaseAdmission) => Promise<CardJson>;
}

/** The kallelse card a case form was opened from (meeting series and date). */
const meetingRefSchema = z.object({
  meetingId: z.string().min(1).max(100),
  date: localDateSchema,
});
const backSchema = z
  .object({
    backMeetingId: z.string().max(100).optional(),
    backDate: z.union([z.literal(''), localDateSchema]).optional(),
  })
  .transform(({ backMeetingId, backDate }) =>
    backMeetingId && backDate ? { meetingId: backMeetingId, date: backDate } : NO_MEETING_CARD,
  );

const field = z
  .string()
  .optional()
  .transform((v) => (v ?? '').normalize('NFC').trim());

const submitSchema = z.object({
  requestId: z.string().min(8).max(100),
  reason: field.pipe(
    z
      .string()
      .min(1, 'Beskriv frågan eller skälet till ärendet.')
      .max(1000, 'Beskrivningen är för lång: högst 1000 tecken.'),
  ),
  request: caseRequestSchema.default('insats'),
  insats: field.pipe(z.string().max(80, 'Insatsens namn är för långt: högst 80 tecken.')),
  urgency: caseUrgencySchema.default('normal'),
  preferredMeetingId: field.pipe(z.string().max(80)),
  consent: z.enum(['true', 'false']).default('false'),
});

const decideSchema = z.object({
  code: z.string().min(1).max(20),
  requestId: z.string().min(8).max(100),
  outcome: caseOutcomeSchema.optional(),
  insats: field.pipe(z.string().max(80, 'Insatsens namn är för långt: högst 80 tecken.')),
  motivation: field.pipe(z.string().max(500, 'Motiveringen är för lång: högst 500 tecken.')),
});

const listSchema = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  filter: z.string().max(200).default(''),
});

const parse = parseCardInput;

const ok = (text: string): Notice => ({ text, isError: false });
const failed = (error: unknown): Notice => ({ text: errorText(error), isError: true });
const isPersonal = (ctx: { turn: { activity: { conversation: { conversationType?: string } } } }) =>
  ctx.turn.activity.conversation.conversationType === 'personal';
const requireCoordinator = (principal: Principal) => {
  if (!hasRole(principal, 'samordnare', 'admin')) {
    throw forbidden('Bara samordnare kan planera, besluta om och avsluta ärenden.');
  }
};

/** `/ärenden` and the case cards. Details never go to a channel: only to the personal chat. */
export function casesCapability(deps: CaseHandlerDeps): Capability {
  const { cases, access } = deps;
  const names = async () => orgNames(await access.listOrganisations());

  const queueCard = async (
    conversationId: string,
    filterText: string,
    page = 1,
    notice?: Notice,
  ) => {
    const organisations = await access.listOrganisations();
    const command = parseCaseCommand(filterText.split(' ').filter(Boolean), organisations);
    const filter = command.kind === 'list' ? command.filter : {};
    const { cases: list, carried } = await cases.openQueue(conversationId, filter);
    const moved = carriedText(carried);
    const shown: Notice | undefined =
      notice ?? (moved ? { text: moved, isError: false } : undefined);
    return renderCard(
      'case-queue',
      queueView(list, orgNames(organisations), page, filterText, shown),
    );
  };

  const decisionCard = async (code: string, notice?: Notice) => {
    const value = await cases.summary(code);
    const attendance = await cases.attendanceFor(code);
    return renderCard('case-decision', decisionView(value, await names(), attendance, notice));
  };

  /** The submitter's organisation name; only representatives and samordnare may submit. */
  const submitterOrganisation = async (principal: Principal): Promise<string> => {
    if (!hasRole(principal, 'representant', 'samordnare', 'admin') || !principal.organisationId) {
      throw forbidden(
        'Bara organisationernas representanter och samordnare med en organisation kan anmäla ärenden. Be administratören om rollen med /roller.',
      );
    }
    return (await names()).get(principal.organisationId) ?? principal.organisationId;
  };

  /** Sends the samordnare the enrolment form for a granted case; answers what to tell them. */
  const offerEnrolment = async (principal: Principal, code: string): Promise<string> => {
    const byHand = `Skriv in deltagaren i chatten med boten: /deltagare ny, med ärendekoden ${code}.`;
    if (!deps.enrolmentCard) return byHand;
    try {
      const card = await deps.enrolmentCard(principal, await cases.admissionOf(principal, code));
      // One attempt: the decision is saved and the answer must not wait on the connector.
      return (await deps.sendPersonalCard(principal.userId, card, 1))
        ? 'Formuläret för att skriva in deltagaren har skickats till din chatt med boten.'
        : byHand;
    } catch {
      // The decision stands either way; the samordnare enrols by hand.
      return byHand;
    }
  };

  /** Shows a private card where the actor is, or sends it to their personal chat. */
  const showPrivately = async (ctx: CommandContext, card: CardJson, what: string) => {
    if (isPersonal(ctx)) {
      await ctx.turn.sendActivity(cardMessage(CardFactory.adaptiveCard(card)));
      return;
    }
    const sent = await deps.sendPersonalCard(ctx.principal.userId, card);
    await ctx.turn.sendActivity(
      textMessage(
        sent
          ? `${what} har skickats till din chatt med boten.`
          : `${what} visas bara i din chatt med boten. Öppna en chatt med Finsam och skriv samma kommando där.`,
      ),
    );
  };

  const run = async (ctx: CommandContext, command: CaseCommand) => {
    const { turn, principal, conversationId } = ctx;
    const reply = (text: string) => turn.sendActivity(textMessage(text));
    switch (command.kind) {
      case 'help':
        await reply(['**/ärenden** – ärendekön', ...CASE_USAGE].join('\n\n'));
        return;
      case 'new': {
        if (isPersonal(ctx)) {
          await reply('Skriv /ärenden ny i kanalen där ärendet ska dras, så hamnar det i rätt kö.');
          return;
        }
        const organisation = await submitterOrganisation(principal);
        const form = formView(organisation, await deps.meetings.upcoming(conversationId, 120));
        await turn.sendActivity(
          cardMessage(CardFactory.adaptiveCard(renderCard('case-form', form))),
        );
        return;
      }
      case 'list': {
        if (isPersonal(ctx)) {
          await reply('Ärendekön hör till kanalen där mötena hålls. Skriv /ärenden där.');
          return;
        }
        const filterText = ctx.command.args.join(' ');
        const card = await queueCard(conversationId, filterText);
        await turn.sendActivity(cardMessage(CardFactory.adaptiveCard(card)));
        return;
      }
      case 'queue': {
        const places = await cases.waitingList(conversationId, command.insats);
        const card = renderCard(
          'case-waiting',
          waitingListView(places, await names(), command.insats),
        );
        await turn.sendActivity(cardMessage(CardFactory.adaptiveCard(card)));
        return;
      }
      case 'enqueue': {
        const value = await cases.enqueue(principal, command.code, command.insats);
        const places = await cases.waitingList(value.conversationId, command.insats);
        const place = places.find((p) => p.value.code === value.code)?.position;
        await reply(
          `${value.code} står i kö till ${value.queue!.insats}${place ? ` på plats ${place}` : ''}.`,
        );
        return;
      }
      case 'show': {
        const value = await cases.details(principal, command.code);
        await showPrivately(
          ctx,
          renderCard('case-detail', detailView(value, await names())),
          `Ärende ${value.code}`,
        );
        return;
      }
      case 'log': {
        const entries = await cases.log(principal, command.code);
        await showPrivately(
          ctx,
          renderCard('case-log', logView(command.code, entries, await names())),
          `Loggen för ${command.code}`,
        );
        return;
      }
      case 'plan': {
        const value = await cases.plan(principal, command.code, command.date, command.slot);
        await reply(
          `${value.code} är planerat till ${value.plan!.meetingName} ${formatWhen(new Date(value.plan!.startsAt))}${value.plan!.slot ? `, tid ${value.plan!.slot}` : ''}.`,
        );
        return;
      }
      case 'move': {
        const value = await cases.move(principal, command.code, command.date, command.slot);
        await reply(
          `${value.code} är flyttat till ${value.plan!.meetingName} ${formatWhen(new Date(value.plan!.startsAt))}.`,
        );
        return;
      }
      case 'present': {
        const value = await cases.present(principal, command.code);
        await reply(
          `${value.code} är markerat som draget. Skriv /ärenden beslut ${value.code} för beslutet.`,
        );
        return;
      }
      case 'decide': {
        requireCoordinator(principal);
        await cases.carryOver(conversationId);
        await turn.sendActivity(
          cardMessage(CardFactory.adaptiveCard(await decisionCard(command.code))),
        );
        return;
      }
      case 'close': {
        const value = await cases.close(principal, command.code);
        await reply(`${value.code} är ${caseStatusLabels[value.status].toLowerCase()}.`);
        return;
      }
    }
  };

  return (routes) => {
    routes.command('ärenden', async (ctx) => {
      const command = parseCaseCommand(ctx.command.args, await access.listOrganisations());
      await run(ctx, command);
    });

    routes.cardAction(
      'cases.submit',
      z.object({}).loose(),
      async ({ principal, conversationId, data }) => {
        const raw = data as Record<string, unknown>;
        const values = Object.fromEntries(
          Object.entries(raw).filter(([, v]) => typeof v === 'string'),
        ) as Record<string, string>;
        const organisations = await names();
        const back = parse(backSchema, raw);
        try {
          const form = parse(submitSchema, raw);
          const { value, created } = await cases.submit(principal, conversationId, {
            requestId: form.requestId,
            reason: form.reason,
            request: form.request,
            ...(form.insats ? { insats: form.insats } : {}),
            urgency: form.urgency,
            ...(form.preferredMeetingId && form.preferredMeetingId !== NEXT_MEETING
              ? { preferredMeetingId: form.preferredMeetingId }
              : {}),
            consent: form.consent === 'true',
          });
          return renderCard('case-submitted', submittedView(value, organisations, created, back));
        } catch (error) {
          if (!isAppError(error) || error.reason === 'storage-unavailable') throw error;
          const keep = isAppError(error, 'personal-data')
            ? { ...values, reason: '', insats: '' }
            : values;
          const organisation = principal.organisationId
            ? (organisations.get(principal.organisationId) ?? principal.organisationId)
            : '–';
          return renderCard(
            'case-form',
            formView(
              organisation,
              await deps.meetings.upcoming(conversationId, 120),
              keep,
              errorText(error),
              back,
            ),
          );
        }
      },
    );

    routes.cardAction(
      'cases.new',
      z.object({}).loose(),
      async ({ principal, conversationId, data }) => {
        const { meetingId, date } = parse(meetingRefSchema, data);
        const organisation = await submitterOrganisation(principal);
        const upcoming = await deps.meetings.upcoming(conversationId, 120);
        const preferred = upcoming.some((o) => o.series.id === meetingId)
          ? meetingId
          : NEXT_MEETING;
        return renderCard(
          'case-form',
          formView(organisation, upcoming, { preferredMeetingId: preferred }, '', {
            meetingId,
            date,
          }),
        );
      },
    );

    routes.cardAction('cases.list', z.object({}).loose(), async ({ conversationId, data }) => {
      const { page, filter } = parse(listSchema, data);
      return queueCard(conversationId, filter, page);
    });

    routes.cardAction('cases.decide', z.object({}).loose(), async ({ principal, data }) => {
      const input = parse(decideSchema, data);
      const code = parseCaseCode(input.code, '/ärenden beslut Ä-2026-0042');
      let notice: Notice;
      try {
        if (!input.outcome) throw invalidInput('Välj ett beslut.');
        const { decision, duplicate } = await cases.decide(principal, code, {
          requestId: input.requestId,
          outcome: input.outcome,
          ...(input.insats ? { insats: input.insats } : {}),
          motivation: input.motivation,
        });
        const saved = duplicate
          ? 'Beslutet var redan sparat. Det sparades inte igen.'
          : `Beslutet är sparat: ${caseOutcomeLabels[decision.outcome].toLocaleLowerCase('sv-SE')}.`;
        notice = ok(
          decision.outcome === 'beviljas' && !duplicate
            ? `${saved} ${await offerEnrolment(principal, code)}`
            : saved,
        );
      } catch (error) {
        if (!isAppError(error) || error.reason === 'storage-unavailable') throw error;
        notice = failed(error);
      }
      return decisionCard(code, notice);
    });
  };
}

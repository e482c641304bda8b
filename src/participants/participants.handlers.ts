import { CardFactory, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import { hasRole, type Member, type Principal } from '../access/access.schema.js';
import type { AccessService } from '../access/access.service.js';
import { cardMessage, textMessage, type Capability } from '../bot/bot.js';
import { renderCard, type CardJson } from '../bot/card-renderer.js';
import { parseCardInput } from '../bot/card-input.js';
import { errorText } from '../bot/error-text.js';
import { invalidInput, isAppError } from '../errors.js';
import { localDateSchema } from '../schedule/schedule.schema.js';
import { foldForLookup } from '../text.js';
import { stepLabels, stepWords } from './participant-labels.js';
import {
  participantFormView,
  participantListView,
  participantView,
  type FormValues,
  type Notice,
} from './participants.cards.js';
import {
  ageGroupSchema,
  DEVIATIONS,
  GENDERS,
  participantCodeSchema,
  recordableStepSchema,
  referralSchema,
} from './participants.schema.js';
import { canManageAll, type ParticipantService, type Recorded } from './participants.service.js';
import { findInsats } from './program.js';

export interface ParticipantHandlerDeps {
  readonly participants: ParticipantService;
  readonly access: AccessService;
}

export const PARTICIPANT_USAGE = [
  '/deltagare – dina deltagare med aktuellt steg och nästa uppföljning (samordnare: alla, och försenade uppföljningar)',
  '/deltagare ny – skriv in en ny deltagare',
  '/deltagare visa D-2026-0001 – uppgifter och historik',
  '/deltagare steg D-2026-0001 arbetsträning [2026-11-20] [kort anteckning] – registrera ett steg',
  '/deltagare hjälp',
];

const STEP_WORDS_TEXT =
  'kartläggning, motiverande, studiebesök, arbetsträning, arbetsprövning, studier, arbete-sub, arbete, annan-insats, avbrott, avslutad';

const field = z
  .string()
  .optional()
  .transform((v) => (v ?? '').normalize('NFC').trim());
const optional = <T extends z.ZodType>(schema: T) => z.union([z.literal(''), schema]);
const dateField = (message: string) =>
  field.pipe(z.string().min(1, { error: message })).pipe(localDateSchema);

const enrolFormSchema = z.object({
  requestId: z.string().min(8).max(100),
  insatsId: field.pipe(z.string().min(1, { error: 'Välj insats.' })),
  lansdelId: field.pipe(z.string().min(1, { error: 'Välj länsdel.' })),
  enrolledOn: dateField('Välj inskrivningsdatum.'),
  gender: field.pipe(z.enum(GENDERS, { error: 'Välj kön.' })),
  responsibleOrganisationId: field.pipe(
    z.string().min(1, { error: 'Välj den ansvariga handläggarens organisation.' }),
  ),
  coachId: field,
  caseCode: field.pipe(
    z.string().regex(/^[\p{L}0-9-]{0,40}$/u, {
      error: 'Ärendekoden får bara innehålla bokstäver, siffror och bindestreck.',
    }),
  ),
  consent: z.enum(['true', 'false']).default('false'),
  birthYear: field.pipe(
    z
      .string()
      .regex(/^(\d{4})?$/, { error: 'Skriv bara födelseåret med fyra siffror, t.ex. 1990.' }),
  ),
  ageGroup: field.pipe(optional(ageGroupSchema)),
  kommun: field.pipe(z.string().max(60)),
  referral: field.pipe(optional(referralSchema)),
});

const note = field.pipe(
  z.string().max(300, { error: 'Anteckningen är för lång (högst 300 tecken).' }),
);
const recordBase = z.object({ code: participantCodeSchema, requestId: z.string().min(8).max(100) });
const stepFormSchema = recordBase.extend({
  stepStep: field.pipe(z.enum(recordableStepSchema.options, { error: 'Välj ett steg.' })),
  stepOn: dateField('Välj datum för steget.'),
  stepWhich: field.pipe(z.string().max(80, { error: 'Skriv kortare (högst 80 tecken).' })),
  stepNote: note,
});
const followUpFormSchema = recordBase.extend({
  followUpOn: dateField('Välj datum för uppföljningen.'),
  followUpNote: note,
});
const deviationFormSchema = recordBase.extend({
  deviationKind: field.pipe(z.enum(DEVIATIONS, { error: 'Välj vilken avvikelse.' })),
  deviationOn: dateField('Välj datum för avvikelsen.'),
  deviationNote: note,
});

const read = parseCardInput;

const ok = (text: string): Notice => ({ text, isError: false });
const failed = (error: unknown): Notice => ({ text: errorText(error), isError: true });
const wrap = (card: CardJson) => CardFactory.adaptiveCard(card);

/** Participant details are shown only in the personal chat with the bot. */
const isPersonal = (turn: TurnContext) =>
  turn.activity.conversation.conversationType === 'personal';
const PERSONAL_ONLY =
  'Deltagaruppgifter visas bara i din personliga chatt med boten. Öppna chatten med Finsam och skriv /deltagare där.';

/** A Teams activity id as an event id: the same message delivered twice records once. */
const requestIdOf = (turn: TurnContext) =>
  `msg-${(turn.activity.id ?? '').replace(/[^A-Za-z0-9._:-]/g, '-')}`.slice(0, 100);

/** The enrolment form, optionally filled in (from a case decision, or after an error). */
export async function enrolmentFormCard(
  deps: ParticipantHandlerDeps,
  actor: Principal,
  values?: FormValues,
  error?: string,
): Promise<CardJson> {
  const { participants, access } = deps;
  if (!canManageAll(actor) && !hasRole(actor, 'coach')) {
    throw invalidInput('Bara coacher och samordnare kan skriva in deltagare.');
  }
  const coaches = canManageAll(actor)
    ? (await access.listPeople(actor)).filter((m) => m.roles.includes('coach'))
    : undefined;
  return renderCard(
    'participant-form',
    participantFormView({
      program: participants.program,
      organisations: await access.listOrganisations(),
      ...(coaches ? { coaches } : {}),
      today: participants.today(),
      ...(values ? { values } : {}),
      ...(error ? { error } : {}),
    }),
  );
}

/**
 * The enrolment form filled in from a case granted an insats: the case code, the referring
 * organisation as the responsible one, and the insats when its name matches one of ours.
 */
export function enrolmentFromCaseCard(
  deps: ParticipantHandlerDeps,
  actor: Principal,
  admission: { code: string; organisationId: string; insats?: string },
): Promise<CardJson> {
  const insats = admission.insats
    ? findInsats(deps.participants.program, admission.insats)
    : undefined;
  return enrolmentFormCard(deps, actor, {
    caseCode: admission.code,
    responsibleOrganisationId: admission.organisationId,
    ...(insats ? { insatsId: insats.id } : {}),
  });
}

export function participantsCapability(deps: ParticipantHandlerDeps): Capability {
  const { participants, access } = deps;
  const program = participants.program;

  const people = async (actor: Principal): Promise<Member[]> =>
    canManageAll(actor) ? access.listPeople(actor) : [];

  const listCard = async (actor: Principal, page = 0) => {
    const { participants: list, overdue } = await participants.list(actor);
    const all = canManageAll(actor);
    return renderCard(
      'participant-list',
      participantListView({
        heading: all ? 'Alla deltagare' : 'Mina deltagare',
        participants: list,
        overdue: all ? overdue : [],
        program,
        today: participants.today(),
        emptyText: 'Inga deltagare ännu. Välj Ny deltagare för att skriva in någon.',
        page,
      }),
    );
  };

  const formCard = (actor: Principal, values?: FormValues, error?: string) =>
    enrolmentFormCard(deps, actor, values, error);

  /** The participant's card; after a change, from what the change read (`recorded`). */
  const detailCard = async (
    actor: Principal,
    code: string,
    notice?: Notice,
    recorded?: Recorded,
  ) => {
    const [view, staff] = await Promise.all([
      recorded?.events
        ? participants.viewOf(actor, { participant: recorded.participant, events: recorded.events })
        : participants.view(actor, code),
      people(actor),
    ]);
    const coachId = view.participant.coachId;
    const coach = staff.find((m) => m.id === coachId);
    const coachName =
      coach?.displayName ?? (coachId === actor.userId ? (actor.displayName ?? 'Du') : 'Coach');
    const organisationName =
      (await participants.organisationName(view.participant.responsibleOrganisationId)) ??
      view.participant.responsibleOrganisationId;
    return renderCard(
      'participant',
      participantView(view, {
        today: participants.today(),
        organisationName,
        coachName,
        ...(notice ? { notice } : {}),
      }),
    );
  };

  /** Runs a change on a participant and answers with their card, carrying the outcome. */
  const onParticipant = async (
    actor: Principal,
    code: string,
    change: () => Promise<{ notice: Notice; recorded?: Recorded }>,
  ): Promise<CardJson> => {
    try {
      const { notice, recorded } = await change();
      return await detailCard(actor, code, notice, recorded);
    } catch (error) {
      if (!isAppError(error) || error.reason === 'storage-unavailable') throw error;
      if (error.reason === 'forbidden' || error.reason === 'not-found') throw error;
      return detailCard(actor, code, failed(error));
    }
  };

  const recordedText = (created: boolean, text: string) =>
    created ? text : 'Det här var redan registrerat. Inget registrerades två gånger.';

  return (routes) => {
    routes.command('deltagare', async ({ turn, principal, command }) => {
      const [first, ...rest] = command.args;
      const sub = first ? foldForLookup(first) : undefined;
      if (sub === 'hjalp' || sub === 'help') {
        await turn.sendActivity(
          textMessage(
            `Så här används /deltagare:\n\n${PARTICIPANT_USAGE.join('\n\n')}\n\nSteg: ${STEP_WORDS_TEXT}.`,
          ),
        );
        return;
      }
      if (!isPersonal(turn)) {
        await turn.sendActivity(textMessage(PERSONAL_ONLY));
        return;
      }
      switch (sub) {
        case undefined:
          await turn.sendActivity(cardMessage(wrap(await listCard(principal))));
          return;
        case 'ny':
          await turn.sendActivity(cardMessage(wrap(await formCard(principal))));
          return;
        case 'visa': {
          const code = read(participantCodeSchema, rest[0] ?? '');
          await turn.sendActivity(cardMessage(wrap(await detailCard(principal, code))));
          return;
        }
        case 'steg': {
          const code = read(participantCodeSchema, rest[0] ?? '');
          const step = stepWords[foldForLookup(rest[1] ?? '')];
          if (!step)
            throw invalidInput(
              `Skriv vilket steg, till exempel: /deltagare steg ${code} arbetsträning. Steg: ${STEP_WORDS_TEXT}.`,
            );
          const dated = rest[2] !== undefined && localDateSchema.safeParse(rest[2]).success;
          const on = dated ? rest[2]! : participants.today();
          const text = rest.slice(dated ? 3 : 2).join(' ');
          if (text.length > 300) throw invalidInput('Anteckningen är för lång (högst 300 tecken).');
          if (step === 'annanInsats' && !text) {
            throw invalidInput(
              `Skriv vilken insats efter steget: /deltagare steg ${code} annan-insats daglig verksamhet`,
            );
          }
          const recorded = await participants.recordStep(principal, code, {
            requestId: requestIdOf(turn),
            step,
            on,
            ...(step === 'annanInsats' ? { which: text.slice(0, 80) } : text ? { note: text } : {}),
          });
          const notice = ok(
            recordedText(
              recorded.created,
              `${stepLabels[step]} är registrerat för ${code} (${on}).`,
            ),
          );
          await turn.sendActivity(
            cardMessage(wrap(await detailCard(principal, code, notice, recorded))),
          );
          return;
        }
        default:
          throw invalidInput(`Så här används /deltagare:\n\n${PARTICIPANT_USAGE.join('\n\n')}`);
      }
    });

    const personalOnly = (turn: TurnContext) => {
      if (!isPersonal(turn)) throw invalidInput(PERSONAL_ONLY);
    };

    routes.cardAction(
      'participants.list',
      z.object({ page: z.coerce.number().int().min(0).max(10_000).default(0) }).loose(),
      async ({ turn, principal, data }) => {
        personalOnly(turn);
        return listCard(principal, data.page);
      },
    );

    routes.cardAction('participants.new', z.object({}).loose(), async ({ turn, principal }) => {
      personalOnly(turn);
      return formCard(principal);
    });

    routes.cardAction(
      'participants.enrol',
      z.object({ requestId: z.string().min(8).max(100) }).loose(),
      async ({ turn, principal, data }) => {
        personalOnly(turn);
        const raw = data as Record<string, unknown>;
        const values = Object.fromEntries(
          Object.entries(raw).filter(([key, v]) => typeof v === 'string' && key !== 'requestId'),
        ) as FormValues;
        try {
          const form = read(enrolFormSchema, raw);
          const organisations = await access.listOrganisations();
          if (!organisations.some((o) => o.id === form.responsibleOrganisationId)) {
            throw invalidInput('Välj den ansvariga handläggarens organisation i listan.');
          }
          let coachId = principal.memberId ?? principal.userId;
          if (canManageAll(principal)) {
            const coach = (await people(principal)).find(
              (m) => m.id === form.coachId && m.roles.includes('coach'),
            );
            if (!coach) throw invalidInput('Välj deltagarens coach i listan.');
            coachId = coach.id;
          }
          const consent = form.consent === 'true';
          const { participant, created } = await participants.enrol(principal, {
            requestId: form.requestId,
            insatsId: form.insatsId,
            lansdelId: form.lansdelId,
            enrolledOn: form.enrolledOn,
            gender: form.gender,
            responsibleOrganisationId: form.responsibleOrganisationId,
            coachId,
            consent,
            ...(form.caseCode ? { caseCode: form.caseCode } : {}),
            ...(consent && form.birthYear ? { birthYear: Number(form.birthYear) } : {}),
            ...(consent && form.ageGroup ? { ageGroup: form.ageGroup } : {}),
            ...(consent && form.kommun ? { kommun: form.kommun } : {}),
            ...(consent && form.referral ? { referral: form.referral } : {}),
          });
          const notice = ok(
            created
              ? `Deltagaren är inskriven med koden ${participant.code}. Första uppföljningen senast ${participant.nextFollowUpOn}.`
              : `Deltagaren var redan inskriven med koden ${participant.code}.`,
          );
          return detailCard(principal, participant.code, notice);
        } catch (error) {
          if (!isAppError(error) || error.reason === 'storage-unavailable') throw error;
          return formCard(principal, values, errorText(error));
        }
      },
    );

    routes.cardAction(
      'participants.open',
      z.object({ code: participantCodeSchema }).loose(),
      async ({ turn, principal, data }) => {
        personalOnly(turn);
        return detailCard(principal, data.code);
      },
    );

    routes.cardAction(
      'participants.step',
      recordBase.loose(),
      async ({ turn, principal, data }) => {
        personalOnly(turn);
        return onParticipant(principal, data.code, async () => {
          const form = read(stepFormSchema, data);
          const recorded = await participants.recordStep(principal, form.code, {
            requestId: form.requestId,
            step: form.stepStep,
            on: form.stepOn,
            ...(form.stepWhich ? { which: form.stepWhich } : {}),
            ...(form.stepNote ? { note: form.stepNote } : {}),
          });
          const text = `${stepLabels[form.stepStep]} är registrerat (${form.stepOn}).`;
          return { notice: ok(recordedText(recorded.created, text)), recorded };
        });
      },
    );

    routes.cardAction(
      'participants.followUp',
      recordBase.loose(),
      async ({ turn, principal, data }) => {
        personalOnly(turn);
        return onParticipant(principal, data.code, async () => {
          const form = read(followUpFormSchema, data);
          const recorded = await participants.recordFollowUp(principal, form.code, {
            requestId: form.requestId,
            on: form.followUpOn,
            ...(form.followUpNote ? { note: form.followUpNote } : {}),
          });
          const text = `Uppföljningen ${form.followUpOn} är registrerad. Nästa senast ${recorded.participant.nextFollowUpOn ?? '–'}.`;
          return { notice: ok(recordedText(recorded.created, text)), recorded };
        });
      },
    );

    routes.cardAction(
      'participants.deviation',
      recordBase.loose(),
      async ({ turn, principal, data }) => {
        personalOnly(turn);
        return onParticipant(principal, data.code, async () => {
          const form = read(deviationFormSchema, data);
          const recorded = await participants.recordDeviation(principal, form.code, {
            requestId: form.requestId,
            deviation: form.deviationKind,
            on: form.deviationOn,
            ...(form.deviationNote ? { note: form.deviationNote } : {}),
          });
          const { created, notified } = recorded;
          if (!created) return { notice: ok(recordedText(false, '')), recorded };
          const notice =
            notified && notified > 0
              ? ok(
                  `Avvikelsen är registrerad och ${notified} ${notified === 1 ? 'person' : 'personer'} hos den ansvariga organisationen har fått besked.`,
                )
              : {
                  text: 'Avvikelsen är registrerad, men ingen representant för den ansvariga organisationen kunde nås via boten. Kontakta handläggaren direkt.',
                  isError: true,
                };
          return { notice, recorded };
        });
      },
    );
  };
}

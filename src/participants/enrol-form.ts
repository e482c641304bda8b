import { z } from 'zod';
import {
  hasRole,
  type Member,
  type Organisation,
  type Principal,
} from '../access/access.schema.js';

/** The people and organisations the enrolment form offers, as the access capability lists them. */
export interface PeopleDirectory {
  listPeople(actor: Principal): Promise<Member[]>;
  listOrganisations(): Promise<Organisation[]>;
}
import type { CardAction } from '../bot/bot.js';
import { parseCardInput } from '../bot/card-input.js';
import { renderCard, type CardJson } from '../bot/card-renderer.js';
import { errorText } from '../bot/error-text.js';
import type { Turn } from '../bot/turn-port.js';
import { invalidInput, isAppError } from '../errors.js';
import { droppedWithoutConsent } from './enrol-participant.js';
import { canManageAll } from './participant-access.js';
import { savedCard } from './participant-card.js';
import {
  ENROL_FORM_FIELDS,
  enrolFormSchema,
  keptValues,
  requestIdSchema,
} from './participant-forms.js';
import { participantFormView, type FormValues } from './participants.cards.js';
import type { Participant } from './participants.schema.js';
import type { ParticipantService } from './participants.service.js';
import { findInsats } from '../program.js';

export interface ParticipantHandlerDeps {
  readonly participants: ParticipantService;
  readonly access: PeopleDirectory;
}

const NO_COACH =
  'Det finns ingen coach i förbundet ännu, och varje deltagare ska ha en coach. En administratör ger rollen under Kom igång i en kanal där coachen finns (eller med /roller ge @person coach organisation). Skriv sedan /deltagare ny igen.';
const NO_PROGRAM =
  'Förbundet har ingen länsdel eller insats inlagd. Be förbundets administratör att lägga in LANSDELAR och INSATSER i botens inställningar.';

const coachesOf = async (access: PeopleDirectory, actor: Principal): Promise<Member[]> =>
  (await access.listPeople(actor)).filter((m) => m.roles.includes('coach'));

/**
 * The enrolment form, optionally filled in (from a case decision, or after an error). What would
 * stop an enrolment (no coach to choose, no länsdel or insats) is said when the form opens.
 */
export async function enrolmentFormCard(
  deps: ParticipantHandlerDeps,
  actor: Principal,
  values?: FormValues,
  error?: string,
  requestId?: string,
): Promise<CardJson> {
  const { participants, access } = deps;
  if (!canManageAll(actor) && !hasRole(actor, 'coach')) {
    throw invalidInput(
      'Bara coacher och samordnare kan skriva in deltagare. Be förbundets administratör om rollen.',
    );
  }
  const program = participants.program;
  const coaches = canManageAll(actor) ? await coachesOf(access, actor) : undefined;
  const blocked =
    program.lansdelar.length === 0 || program.insatser.length === 0
      ? NO_PROGRAM
      : coaches && coaches.length === 0
        ? NO_COACH
        : '';
  return renderCard(
    'participant-form',
    participantFormView({
      program,
      organisations: await access.listOrganisations(),
      ...(coaches ? { coaches } : {}),
      today: participants.today(),
      ...(values ? { values } : {}),
      ...(error ? { error } : {}),
      ...(blocked ? { blocked } : {}),
      ...(requestId ? { requestId } : {}),
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

const formData = z.object({ requestId: requestIdSchema }).catchall(z.unknown());

async function enrol(
  deps: ParticipantHandlerDeps,
  turn: Turn,
  data: z.infer<typeof formData>,
): Promise<CardJson> {
  const { participants, access } = deps;
  const { principal } = turn;
  const values = keptValues(data, ENROL_FORM_FIELDS);
  let saved: { text: string; participant: Participant };
  try {
    const form = parseCardInput(enrolFormSchema, data);
    const organisations = await access.listOrganisations();
    if (!organisations.some((o) => o.id === form.responsibleOrganisationId)) {
      throw invalidInput('Välj den ansvariga handläggarens organisation i listan.');
    }
    let coach = { id: principal.memberId ?? principal.userId, name: principal.displayName };
    if (canManageAll(principal)) {
      const chosen = (await coachesOf(access, principal)).find((m) => m.id === form.coachId);
      if (!chosen) throw invalidInput('Välj deltagarens coach i listan.');
      coach = { id: chosen.id, name: chosen.displayName };
    }
    const consent = form.consent === 'true';
    const descriptors = {
      ...(form.birthYear ? { birthYear: Number(form.birthYear) } : {}),
      ...(form.ageGroup ? { ageGroup: form.ageGroup } : {}),
      ...(form.kommun ? { kommun: form.kommun } : {}),
      ...(form.referral ? { referral: form.referral } : {}),
    };
    const dropped = droppedWithoutConsent({ consent, ...descriptors });
    const { participant, created } = await participants.enrol(principal, {
      requestId: form.requestId,
      source: 'form',
      insatsId: form.insatsId,
      lansdelId: form.lansdelId,
      enrolledOn: form.enrolledOn,
      gender: form.gender,
      responsibleOrganisationId: form.responsibleOrganisationId,
      coachId: coach.id,
      ...(coach.name ? { coachName: coach.name } : {}),
      consent,
      ...(form.caseCode ? { caseCode: form.caseCode } : {}),
      ...(consent ? descriptors : {}),
    });
    const notKept =
      dropped.length > 0
        ? ` Utan samtycke sparades inte: ${dropped.join(', ')}. Bara kön och startår beskriver personen.`
        : '';
    const text = created
      ? `Deltagaren är inskriven med koden ${participant.code}. Första uppföljningen senast ${participant.nextFollowUpOn}.${notKept}`
      : `Deltagaren var redan inskriven med koden ${participant.code}.`;
    saved = { text, participant };
  } catch (error) {
    if (!isAppError(error) || error.reason === 'forbidden') throw error;
    // The form comes back with every value and the same request id, so sending it again
    // finishes what was started; when storage cannot even show the form, the error alone goes.
    try {
      return await enrolmentFormCard(deps, principal, values, errorText(error), data.requestId);
    } catch {
      throw error;
    }
  }
  return savedCard(
    participants,
    principal,
    saved.participant.code,
    {
      text: saved.text,
      isError: false,
    },
    { participant: saved.participant },
  );
}

/** `participants.enrol`: the form's submit; any refusal gives the form back, every value kept. */
export function enrolAction(deps: ParticipantHandlerDeps): CardAction<typeof formData> {
  return {
    verb: 'participants.enrol',
    schema: formData,
    handle: (ctx) => enrol(deps, ctx, ctx.data),
    reopen: (turn, values, notice) =>
      enrolmentFormCard(deps, turn.principal, keptValues(values, ENROL_FORM_FIELDS), notice),
  };
}

const newFormData = z
  .object({ requestId: requestIdSchema.optional(), refresh: z.literal('lansdel').optional() })
  .catchall(z.unknown());

/** `participants.new`: a fresh form, or the same form again for another länsdel (values kept). */
export function newFormAction(deps: ParticipantHandlerDeps): CardAction<typeof newFormData> {
  return {
    verb: 'participants.new',
    schema: newFormData,
    handle: ({ principal, data }) =>
      data.refresh
        ? enrolmentFormCard(
            deps,
            principal,
            keptValues(data, ENROL_FORM_FIELDS),
            undefined,
            data.requestId,
          )
        : enrolmentFormCard(deps, principal),
  };
}

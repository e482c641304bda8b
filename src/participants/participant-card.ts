import { z } from 'zod';
import type { Principal } from '../access/access.schema.js';
import type { CardAction } from '../bot/bot.js';
import { parseCardInput } from '../bot/card-input.js';
import { renderCard, type CardJson } from '../bot/card-renderer.js';
import { errorText } from '../bot/error-text.js';
import type { Turn } from '../bot/turn-port.js';
import { invalidInput, isAppError } from '../errors.js';
import { stepRecordedText } from './participant-labels.js';
import {
  deviationFormSchema,
  followUpFormSchema,
  keptValues,
  RECORD_FORM_FIELDS,
  recordBase,
} from './participant-forms.js';
import { participantView, type Notice, type RecordFormValues } from './participants.cards.js';
import { participantCodeSchema } from './participants.schema.js';
import type { ParticipantService, Recorded } from './participants.service.js';
import { lansdelHintSchema, stepFormSchema } from './participant-forms.js';

export const PERSONAL_ONLY =
  'Deltagaruppgifter visas bara i din personliga chatt med boten. Öppna chatten med Finsam och skriv /deltagare där.';

/** Participant details are shown only in the personal chat with the bot. */
export function requirePersonal(turn: Pick<Turn, 'conversationKind'>): void {
  if (turn.conversationKind !== 'personal') throw invalidInput(PERSONAL_ONLY);
}

/**
 * The participant's card. After a change it is built from the header the change wrote and the
 * first page of the history it kept (`recorded`), so the answer reads nothing more (a repeated
 * click, which wrote nothing, reads the page).
 */
export async function detailCard(
  participants: ParticipantService,
  actor: Principal,
  code: string,
  options: {
    notice?: Notice;
    values?: RecordFormValues;
    after?: string;
    lansdelHint?: string;
    recorded?: Pick<Recorded, 'participant' | 'timeline'>;
  } = {},
): Promise<CardJson> {
  const { recorded } = options;
  const view = recorded
    ? await participants.viewOf(actor, recorded.participant, undefined, false, recorded.timeline)
    : await participants.view(actor, code, options.after, options.lansdelHint);
  const p = view.participant;
  const coachName =
    p.coachName ?? (p.coachId === actor.userId ? (actor.displayName ?? 'Du') : 'Coach');
  const organisationName =
    (await participants.organisationName(p.responsibleOrganisationId)) ??
    p.responsibleOrganisationId;
  return renderCard(
    'participant',
    participantView(view, {
      today: participants.today(),
      organisationName,
      coachName,
      ...(options.notice ? { notice: options.notice } : {}),
      ...(options.values ? { values: options.values } : {}),
      ...(options.after ? { after: options.after } : {}),
    }),
  );
}

/**
 * The card after a change that was saved. Showing it reads storage again; when that fails, the
 * answer still says what was saved (never "nothing was saved") and how to see the card later.
 */
export async function savedCard(
  participants: ParticipantService,
  actor: Principal,
  code: string,
  notice: Notice,
  recorded: Pick<Recorded, 'participant' | 'timeline'>,
): Promise<CardJson> {
  try {
    return await detailCard(participants, actor, code, { notice, recorded });
  } catch (error) {
    if (!isAppError(error, 'storage-unavailable') && !isAppError(error, 'outcome-unknown')) {
      throw error;
    }
    return renderCard('notice', {
      title: notice.isError ? 'Sparat, men se upp' : 'Sparat',
      text: `${notice.text} Kortet kunde inte visas just nu: skriv /deltagare visa ${code} om en stund.`,
      ...(notice.isError ? { tone: 'attention' } : {}),
    });
  }
}

const recordedText = (created: boolean, text: string) =>
  created ? text : 'Det här var redan registrerat. Inget registrerades två gånger.';

const recordData = recordBase.catchall(z.unknown());
type RecordData = z.infer<typeof recordData>;

/**
 * A change from the participant card. On success the card shows the change; when it is refused
 * the card comes back with the error and every value of the form kept.
 */
function recordAction(
  participants: ParticipantService,
  verb: string,
  change: (
    principal: Principal,
    data: RecordData,
  ) => Promise<{ notice: Notice; recorded: Recorded }>,
): CardAction<typeof recordData> {
  const handle = async (turn: Turn, data: RecordData, refused?: string): Promise<CardJson> => {
    requirePersonal(turn);
    const values = keptValues(data, RECORD_FORM_FIELDS);
    if (refused) {
      return detailCard(participants, turn.principal, data.code, {
        notice: { text: refused, isError: true },
        values,
      });
    }
    let saved: { notice: Notice; recorded: Recorded };
    try {
      saved = await change(turn.principal, data);
    } catch (error) {
      if (!isAppError(error) || error.reason === 'storage-unavailable') throw error;
      if (error.reason === 'forbidden' || error.reason === 'not-found') throw error;
      return detailCard(participants, turn.principal, data.code, {
        notice: { text: errorText(error), isError: true },
        values,
      });
    }
    return savedCard(participants, turn.principal, data.code, saved.notice, saved.recorded);
  };
  return {
    verb,
    schema: recordData,
    handle: (ctx) => handle(ctx, ctx.data),
    async reopen(turn, values, notice) {
      const parsed = recordData.safeParse(values);
      if (!parsed.success) throw invalidInput(notice);
      return handle(turn, parsed.data, notice);
    },
  };
}

export function participantCardActions(participants: ParticipantService) {
  const open = z.object({
    code: participantCodeSchema,
    lansdel: lansdelHintSchema,
    after: z
      .string()
      .regex(/^D-\d{4}-\d{4,6}\|\d{8}\|\d{7}$/)
      .optional(),
  });
  const openAction: CardAction<typeof open> = {
    verb: 'participants.open',
    schema: open,
    handle: async (ctx) => {
      requirePersonal(ctx);
      return detailCard(participants, ctx.principal, ctx.data.code, {
        ...(ctx.data.after ? { after: ctx.data.after } : {}),
        ...(ctx.data.lansdel ? { lansdelHint: ctx.data.lansdel } : {}),
      });
    },
  };
  return [
    openAction,
    recordAction(participants, 'participants.step', async (principal, data) => {
      const form = parseCardInput(stepFormSchema, data);
      const recorded = await participants.recordStep(principal, form.code, {
        requestId: form.requestId,
        lansdelHint: form.lansdel,
        step: form.stepStep,
        on: form.stepOn,
        ...(form.stepWhich ? { which: form.stepWhich } : {}),
        ...(form.stepNote ? { note: form.stepNote } : {}),
      });
      const text = stepRecordedText(form.stepStep, form.stepOn, {
        nextFollowUpOn: recorded.participant.nextFollowUpOn,
      });
      return { notice: { text: recordedText(recorded.created, text), isError: false }, recorded };
    }),
    recordAction(participants, 'participants.followUp', async (principal, data) => {
      const form = parseCardInput(followUpFormSchema, data);
      const recorded = await participants.recordFollowUp(principal, form.code, {
        requestId: form.requestId,
        lansdelHint: form.lansdel,
        on: form.followUpOn,
        ...(form.followUpNote ? { note: form.followUpNote } : {}),
      });
      const text = `Uppföljningen ${form.followUpOn} är registrerad. Nästa senast ${recorded.participant.nextFollowUpOn ?? '–'}.`;
      return { notice: { text: recordedText(recorded.created, text), isError: false }, recorded };
    }),
    recordAction(participants, 'participants.deviation', async (principal, data) => {
      const form = parseCardInput(deviationFormSchema, data);
      const recorded = await participants.recordDeviation(principal, form.code, {
        requestId: form.requestId,
        lansdelHint: form.lansdel,
        deviation: form.deviationKind,
        on: form.deviationOn,
        ...(form.deviationNote ? { note: form.deviationNote } : {}),
      });
      const { created, notified } = recorded;
      if (!created) return { notice: { text: recordedText(false, ''), isError: false }, recorded };
      const notice =
        notified && notified > 0
          ? {
              text: `Avvikelsen är registrerad och ${notified} ${notified === 1 ? 'person' : 'personer'} hos den ansvariga organisationen har fått besked.`,
              isError: false,
            }
          : {
              text: 'Avvikelsen är registrerad, men ingen representant för den ansvariga organisationen kunde nås via boten. Kontakta handläggaren direkt.',
              isError: true,
            };
      return { notice, recorded };
    }),
  ] as const;
}

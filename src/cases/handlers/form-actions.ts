import { z } from 'zod';
import type { CardAction } from '../../bot/bot.js';
import { renderCard } from '../../bot/card-renderer.js';
import { errorText } from '../../bot/error-text.js';
import type { Turn } from '../../bot/turn-port.js';
import { isAppError } from '../../errors.js';
import { localDateSchema } from '../../schedule/schedule.schema.js';
import { caseCard } from '../cards/case-cards.js';
import { NO_MEETING_CARD, type BackToMeeting } from '../cards/case-card-view.js';
import { ok } from '../cards/case-text.js';
import { formValuesOf, formView, NEXT_MEETING, type FormValues } from '../cards/form-view.js';
import { requireSubmitter } from '../case-rights.js';
import { caseRequestSchema, caseUrgencySchema, summaryOf } from '../cases.schema.js';
import { FORM_DAYS } from '../use-cases/planning.js';
import { submitCase } from '../use-cases/submit-case.js';
import { namesOf, type CaseHandlerDeps } from './case-handler-deps.js';

/** Free text as the card sends it; the use case checks lengths and answers in Swedish. */
const typed = z.string().max(5000).default('');
const meetingId = z.string().regex(/^[A-Za-z0-9._~-]{1,100}$/);

const backSchema = {
  backMeetingId: z.union([z.literal(''), meetingId]).default(''),
  backDate: z.union([z.literal(''), localDateSchema]).default(''),
};
const backOf = (data: { backMeetingId: string; backDate: string }): BackToMeeting =>
  data.backMeetingId && data.backDate
    ? { meetingId: data.backMeetingId, date: data.backDate }
    : NO_MEETING_CARD;

const submitSchema = z.object({
  requestId: z.uuid(),
  reason: typed,
  request: caseRequestSchema.default('insats'),
  insats: typed,
  urgency: caseUrgencySchema.default('normal'),
  preferredMeetingId: z.union([z.literal(''), meetingId]).default(''),
  consent: z.enum(['true', 'false']).default('false'),
  ...backSchema,
});

const newSchema = z.object({ meetingId, date: localDateSchema });

/** The form for a case, with the submitter's organisation and the meetings here. */
async function formCard(
  deps: CaseHandlerDeps,
  turn: Turn,
  values: FormValues,
  error: string,
  back: BackToMeeting,
) {
  const organisationId = await requireSubmitter(deps.cases.people, turn.principal);
  const [names, upcoming] = await Promise.all([
    namesOf(deps),
    deps.cases.meetings.upcoming(turn.conversationId, FORM_DAYS),
  ]);
  const name = names.get(organisationId) ?? organisationId;
  return renderCard('case-form', formView(name, upcoming, values, error, back));
}

/** `cases.new`: the form opened from a meeting's kallelse, with that meeting chosen. */
export function newCaseAction(deps: CaseHandlerDeps): CardAction<typeof newSchema> {
  return {
    verb: 'cases.new',
    schema: newSchema,
    handle: (ctx) =>
      formCard(deps, ctx, { preferredMeetingId: ctx.data.meetingId }, '', {
        meetingId: ctx.data.meetingId,
        date: ctx.data.date,
      }),
  };
}

/**
 * `cases.submit`: stores the case and answers with its card. A refusal (no samtycke, a text
 * too long) gives the form back with what was written, so nothing has to be typed again.
 */
export function submitCaseAction(deps: CaseHandlerDeps): CardAction<typeof submitSchema> {
  const reopen = (turn: Turn, values: Readonly<Record<string, unknown>>, notice: string) => {
    const back = backSchema.backMeetingId.safeParse(values.backMeetingId);
    const date = backSchema.backDate.safeParse(values.backDate);
    return formCard(
      deps,
      turn,
      formValuesOf(values),
      notice,
      back.success && date.success
        ? backOf({ backMeetingId: back.data, backDate: date.data })
        : NO_MEETING_CARD,
    );
  };
  return {
    verb: 'cases.submit',
    schema: submitSchema,
    reopen,
    async handle(ctx) {
      const form = ctx.data;
      try {
        const { snapshot, created } = await submitCase(
          deps.cases,
          ctx.principal,
          ctx.conversationId,
          {
            requestId: form.requestId,
            reason: form.reason,
            request: form.request,
            insats: form.insats,
            urgency: form.urgency,
            ...(form.preferredMeetingId && form.preferredMeetingId !== NEXT_MEETING
              ? { preferredMeetingId: form.preferredMeetingId }
              : {}),
            consent: form.consent === 'true',
          },
        );
        const { code } = snapshot.value;
        return caseCard(summaryOf(snapshot.value), await namesOf(deps), ctx.principal, {
          notice: ok(
            created
              ? `Ärendet är anmält med koden ${code}. Använd bara koden när ni talar om ärendet.`
              : `Ärendet fanns redan med koden ${code}. Det anmäldes inte igen.`,
          ),
          back: backOf(form),
        });
      } catch (error) {
        if (!isAppError(error, 'invalid-input') && !isAppError(error, 'personal-data')) throw error;
        const values: Record<string, unknown> = isAppError(error, 'personal-data')
          ? { ...form, reason: '', insats: '' }
          : form;
        return reopen(ctx, values, errorText(error));
      }
    },
  };
}

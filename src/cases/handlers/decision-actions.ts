import { z } from 'zod';
import type { CardAction } from '../../bot/bot.js';
import { errorText } from '../../bot/error-text.js';
import type { Turn } from '../../bot/turn-port.js';
import { invalidInput, isAppError } from '../../errors.js';
import { localDateSchema } from '../../schedule/schedule.schema.js';
import { decisionCard, decisionNotice } from '../cards/case-cards.js';
import { ok, problem, type Notice } from '../cards/case-text.js';
import { decisionValuesOf, type DecisionValues } from '../cards/decision-view.js';
import { caseCodeSchema, caseOutcomeSchema } from '../cases.schema.js';
import { admissionOf } from '../use-cases/admission.js';
import { decideCase } from '../use-cases/decide-case.js';
import { openDecision } from '../use-cases/open-decision.js';
import { namesOf, type CaseHandlerDeps } from './case-handler-deps.js';

const codeSchema = z.object({ code: caseCodeSchema });
const decideSchema = z.object({
  code: caseCodeSchema,
  requestId: z.uuid(),
  meetingId: z.string().max(100).default(''),
  date: z.union([z.literal(''), localDateSchema]).default(''),
  outcome: z.union([z.literal(''), caseOutcomeSchema]).default(''),
  insats: z.string().max(5000).default(''),
  motivation: z.string().max(5000).default(''),
});

/** The decision card as it stands now, with a notice and, after a refusal, what was written. */
async function currentCard(
  deps: CaseHandlerDeps,
  turn: Turn,
  code: string,
  notice?: Notice,
  values?: DecisionValues,
) {
  const { snapshot, attendance } = await openDecision(deps.cases, turn.principal, code);
  return decisionCard(snapshot, await namesOf(deps), attendance, notice, values);
}

/** Sends the samordnare the enrolment form for a granted case; answers what to tell them. */
async function offerEnrolment(deps: CaseHandlerDeps, turn: Turn, code: string): Promise<string> {
  const byHand = `Skriv in deltagaren i chatten med boten: /deltagare ny, med ärendekoden ${code}.`;
  if (!deps.enrolmentCard) return byHand;
  try {
    const admission = await admissionOf(deps.cases, turn.principal, code);
    const card = await deps.enrolmentCard(turn.principal, admission);
    // One attempt: the decision is saved and the answer must not wait on the connector.
    return (await deps.sendPersonalCard(turn.principal.userId, card, 1))
      ? 'Formuläret för att skriva in deltagaren har skickats till din chatt med boten.'
      : byHand;
  } catch {
    // The decision stands either way; the samordnare enrols by hand.
    return byHand;
  }
}

/** `cases.decision`: opens the decision card of a case. */
export function decisionAction(deps: CaseHandlerDeps): CardAction<typeof codeSchema> {
  return {
    verb: 'cases.decision',
    schema: codeSchema,
    handle: (ctx) => currentCard(deps, ctx, ctx.data.code),
  };
}

/**
 * `cases.decide`: records the decision and answers with the decision card rendered from what
 * was stored. A refusal gives the card back with what was written; the loser of two samordnare
 * deciding at once sees the decision that stands.
 */
export function decideAction(deps: CaseHandlerDeps): CardAction<typeof decideSchema> {
  const reopen = async (turn: Turn, values: Readonly<Record<string, unknown>>, notice: string) =>
    currentCard(
      deps,
      turn,
      caseCodeSchema.parse(values.code),
      problem(notice),
      decisionValuesOf(values),
    );
  return {
    verb: 'cases.decide',
    schema: decideSchema,
    reopen,
    async handle(ctx) {
      const input = ctx.data;
      try {
        if (!input.outcome) throw invalidInput('Välj ett beslut.');
        const decided = await decideCase(deps.cases, ctx.principal, {
          code: input.code,
          requestId: input.requestId,
          outcome: input.outcome,
          insats: input.insats,
          motivation: input.motivation,
          ...(input.meetingId && input.date
            ? {
                meeting: {
                  conversationId: ctx.conversationId,
                  meetingId: input.meetingId,
                  date: input.date,
                },
              }
            : {}),
        });
        const saved = decisionNotice(decided.decision, decided.repeated);
        const text =
          decided.decision.outcome === 'beviljas' && !decided.repeated
            ? `${saved} ${await offerEnrolment(deps, ctx, input.code)}`
            : saved;
        return decisionCard(decided.snapshot, await namesOf(deps), decided.attendance, ok(text));
      } catch (error) {
        if (isAppError(error, 'conflict') && error.userMessage) {
          return currentCard(deps, ctx, input.code, problem(error.userMessage));
        }
        if (!isAppError(error, 'invalid-input') && !isAppError(error, 'personal-data')) throw error;
        const values = isAppError(error, 'personal-data')
          ? { ...input, insats: '', motivation: '' }
          : input;
        return reopen(ctx, values, errorText(error));
      }
    },
  };
}

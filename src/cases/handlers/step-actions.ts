import { z } from 'zod';
import type { CardAction } from '../../bot/bot.js';
import type { Turn } from '../../bot/turn-port.js';
import { invalidInput, isAppError } from '../../errors.js';
import { errorText } from '../../bot/error-text.js';
import { localDateSchema } from '../../schedule/schedule.schema.js';
import { caseCard, stepNotice } from '../cards/case-cards.js';
import { ok, problem } from '../cards/case-text.js';
import { requireCase } from '../case-change.js';
import { requireCoordinator } from '../case-rights.js';
import { caseCodeSchema, summaryOf } from '../cases.schema.js';
import { closeCase } from '../use-cases/close-case.js';
import { moveCase } from '../use-cases/move-case.js';
import { moveOptions } from '../use-cases/move-options.js';
import { planCase } from '../use-cases/plan-case.js';
import { presentCase } from '../use-cases/present-case.js';
import { namesOf, type CaseHandlerDeps } from './case-handler-deps.js';

const stepSchema = z.object({ code: caseCodeSchema, requestId: z.uuid() });
const codeSchema = z.object({ code: caseCodeSchema });
const closeSchema = stepSchema.extend({ confirmed: z.enum(['true', 'false']).default('false') });
const moveSchema = stepSchema.extend({ occurrence: z.string().max(200).default('') });

/** `<meeting id>|<date>` as the move card's choice sends it. */
function chosenMeeting(choice: string): { meetingId: string; date: string } {
  const at = choice.lastIndexOf('|');
  const meetingId = choice.slice(0, at);
  const date = choice.slice(at + 1);
  if (
    at <= 0 ||
    !/^[A-Za-z0-9._~-]{1,100}$/.test(meetingId) ||
    !localDateSchema.safeParse(date).success
  ) {
    throw invalidInput('Välj vilket möte ärendet ska flyttas till.');
  }
  return { meetingId, date };
}

/** `cases.plan`: plans the case for its preferred series' or the channel's next meeting. */
export function planAction(deps: CaseHandlerDeps): CardAction<typeof stepSchema> {
  return {
    verb: 'cases.plan',
    schema: stepSchema,
    async handle(ctx) {
      const changed = await planCase(deps.cases, ctx.principal, {
        code: ctx.data.code,
        key: ctx.data.requestId,
        conversationId: ctx.conversationId,
      });
      return caseCard(summaryOf(changed.snapshot.value), await namesOf(deps), ctx.principal, {
        notice: stepNotice('plan', changed),
      });
    },
  };
}

/** `cases.present`: the case has been presented at its meeting. */
export function presentAction(deps: CaseHandlerDeps): CardAction<typeof stepSchema> {
  return {
    verb: 'cases.present',
    schema: stepSchema,
    async handle(ctx) {
      const changed = await presentCase(deps.cases, ctx.principal, {
        code: ctx.data.code,
        key: ctx.data.requestId,
      });
      return caseCard(summaryOf(changed.snapshot.value), await namesOf(deps), ctx.principal, {
        notice: stepNotice('present', changed),
      });
    },
  };
}

/** `cases.close`: asks first, then closes the case. */
export function closeAction(deps: CaseHandlerDeps): CardAction<typeof closeSchema> {
  return {
    verb: 'cases.close',
    schema: closeSchema,
    async handle(ctx) {
      const { code, requestId, confirmed } = ctx.data;
      if (confirmed !== 'true') {
        await requireCoordinator(deps.cases.people, ctx.principal, 'avsluta ärenden');
        const { value } = await requireCase(deps.cases.store, code);
        return caseCard(summaryOf(value), await namesOf(deps), ctx.principal, {
          notice: ok(`Vill du avsluta ${code}? Ett avslutat ärende kan inte öppnas igen.`),
          confirmClose: value.status !== 'avslutad',
        });
      }
      const changed = await closeCase(deps.cases, ctx.principal, { code, key: requestId });
      return caseCard(summaryOf(changed.snapshot.value), await namesOf(deps), ctx.principal, {
        notice: stepNotice('close', changed),
      });
    },
  };
}

/** `cases.chooseMeeting`: the case card with the meetings it can be moved to. */
export function chooseMeetingAction(deps: CaseHandlerDeps): CardAction<typeof codeSchema> {
  return {
    verb: 'cases.chooseMeeting',
    schema: codeSchema,
    async handle(ctx) {
      const { snapshot, slots } = await moveOptions(
        deps.cases,
        ctx.principal,
        ctx.data.code,
        ctx.conversationId,
      );
      return caseCard(summaryOf(snapshot.value), await namesOf(deps), ctx.principal, {
        moveTo: slots,
      });
    },
  };
}

/** `cases.move`: moves the case to the chosen meeting; a refusal keeps the choice open. */
export function moveAction(deps: CaseHandlerDeps): CardAction<typeof moveSchema> {
  const reopen = async (turn: Turn, values: Readonly<Record<string, unknown>>, notice: string) => {
    const code = caseCodeSchema.parse(values.code);
    const { snapshot, slots } = await moveOptions(
      deps.cases,
      turn.principal,
      code,
      turn.conversationId,
    );
    return caseCard(summaryOf(snapshot.value), await namesOf(deps), turn.principal, {
      moveTo: slots,
      notice: problem(notice),
    });
  };
  return {
    verb: 'cases.move',
    schema: moveSchema,
    reopen,
    async handle(ctx) {
      const { code, requestId, occurrence } = ctx.data;
      try {
        const changed = await moveCase(deps.cases, ctx.principal, {
          code,
          ...chosenMeeting(occurrence),
          key: requestId,
          conversationId: ctx.conversationId,
        });
        return caseCard(summaryOf(changed.snapshot.value), await namesOf(deps), ctx.principal, {
          notice: stepNotice('move', changed),
        });
      } catch (error) {
        if (!isAppError(error, 'invalid-input')) throw error;
        return reopen(ctx, ctx.data, errorText(error));
      }
    },
  };
}

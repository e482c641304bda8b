import { z } from 'zod';
import type { CardAction } from '../../bot/bot.js';
import { renderCard } from '../../bot/card-renderer.js';
import type { Turn } from '../../bot/turn-port.js';
import { localDateSchema } from '../../schedule/schedule.schema.js';
import { caseCard, detailCard, logCard } from '../cards/case-cards.js';
import { carriedText, ok } from '../cards/case-text.js';
import { HISTORY_PAGE_SIZES } from '../cards/detail-view.js';
import { LOG_PAGE_SIZES } from '../cards/log-view.js';
import {
  queuePageOrganisations,
  queueView,
  waitingListView,
  waitingPageOrganisations,
} from '../cards/queue-view.js';
import { requireCase } from '../case-change.js';
import { maySeeDetails } from '../case-rights.js';
import { caseCodeSchema, caseStatusSchema, summaryOf } from '../cases.schema.js';
import { caseLog } from '../use-cases/case-log.js';
import { openQueue } from '../use-cases/open-queue.js';
import { viewCase } from '../use-cases/view-case.js';
import { waitingList } from '../use-cases/waiting-list.js';
import { namesOf, type CaseHandlerDeps } from './case-handler-deps.js';

const page = z.coerce.number().int().min(1).max(10_000).default(1);
const listSchema = z.object({
  page,
  organisationId: z.union([z.literal(''), z.string().regex(/^[a-z0-9-]{2,60}$/)]).default(''),
  status: z.union([z.literal(''), caseStatusSchema]).default(''),
  meetingDate: z.union([z.literal(''), localDateSchema]).default(''),
});
const waitingSchema = z.object({ page, insats: z.string().max(80).default('') });
const showSchema = z.object({ code: caseCodeSchema });
const historySchema = z.object({
  code: caseCodeSchema,
  before: z.coerce.number().int().min(2).max(1_000_000),
});
const logSchema = z.object({
  code: caseCodeSchema,
  after: z.union([z.literal(''), z.string().regex(/^\d{13}\|[A-Za-z0-9]{1,20}$/)]).default(''),
});

/** `cases.list`: a page of the open queue (after carry-over), with the filter it was shown with. */
export function listAction(deps: CaseHandlerDeps): CardAction<typeof listSchema> {
  return {
    verb: 'cases.list',
    schema: listSchema,
    async handle(ctx) {
      const { organisationId, status, meetingDate } = ctx.data;
      const filter = {
        ...(organisationId ? { organisationId } : {}),
        ...(status ? { status } : {}),
        ...(meetingDate ? { meetingDate } : {}),
      };
      const [names, queue] = await Promise.all([
        namesOf(deps),
        openQueue(deps.cases, ctx.conversationId, filter),
      ]);
      const moved = carriedText(queue.carried);
      const refreshUserIds = await deps.audience(
        queuePageOrganisations(queue.cases, ctx.data.page),
      );
      return renderCard(
        'case-queue',
        queueView(
          queue.cases,
          names,
          ctx.principal,
          ctx.data.page,
          filter,
          moved ? ok(moved) : undefined,
          { refreshUserIds },
        ),
      );
    },
  };
}

/** `cases.waiting`: a page of the waiting lists. */
export function waitingAction(deps: CaseHandlerDeps): CardAction<typeof waitingSchema> {
  return {
    verb: 'cases.waiting',
    schema: waitingSchema,
    async handle(ctx) {
      const insats = ctx.data.insats || undefined;
      const [names, lists] = await Promise.all([
        namesOf(deps),
        waitingList(deps.cases, ctx.conversationId, insats),
      ]);
      const refreshUserIds = await deps.audience(waitingPageOrganisations(lists, ctx.data.page));
      return renderCard(
        'case-waiting',
        waitingListView(lists, names, ctx.principal, ctx.data.page, !!insats, { refreshUserIds }),
      );
    },
  };
}

/**
 * The whole case, in place: a card action's answer is the clicker's own view of the card (Teams
 * shows it to them alone), so the details need not go to the personal chat.
 */
async function showDetails(
  deps: CaseHandlerDeps,
  turn: Turn,
  code: string,
  options: { before?: number; key?: string } = {},
) {
  const { snapshot, history } = await viewCase(deps.cases, turn.principal, {
    code,
    limit: HISTORY_PAGE_SIZES[0],
    key: options.key ?? turn.activityId,
    ...(options.before ? { before: options.before } : {}),
  });
  const refreshUserIds = await deps.audience([snapshot.value.organisationId]);
  return detailCard(
    snapshot,
    history,
    await namesOf(deps),
    turn.principal,
    undefined,
    refreshUserIds,
  );
}

/**
 * `cases.view`: one person's view of a case card in a channel ("Visa mina val", and what Teams
 * asks for on its own for the people in the card's `refresh.userIds`): the details and next
 * steps for samordnare and the referring organisation, the channel's copy for everyone else.
 * @remarks A view Teams asks for on its own is audited once per person and posted card;
 * a click is audited as a click.
 */
export function viewAction(deps: CaseHandlerDeps): CardAction<typeof showSchema> {
  return {
    verb: 'cases.view',
    schema: showSchema,
    async handle(ctx) {
      const { principal } = ctx;
      const current = await requireCase(deps.cases.store, ctx.data.code);
      if (maySeeDetails(principal, current.value)) {
        const key =
          ctx.trigger === 'automatic'
            ? `auto|${principal.userId}|${ctx.cardActivityId ?? ctx.activityId}`
            : ctx.activityId;
        return showDetails(deps, ctx, ctx.data.code, { key });
      }
      return caseCard(summaryOf(current.value), await namesOf(deps), principal, {
        notice: ok(
          'Du ser samma uppgifter som alla här. Detaljerna visas för samordnare och den anmälande organisationen.',
        ),
        refreshUserIds: await deps.audience([current.value.organisationId]),
      });
    },
  };
}

/** `cases.show`: the whole case (samordnare and the referring organisation). */
export function showAction(deps: CaseHandlerDeps): CardAction<typeof showSchema> {
  return {
    verb: 'cases.show',
    schema: showSchema,
    handle: (ctx) => showDetails(deps, ctx, ctx.data.code),
  };
}

/** `cases.history`: the case with an older page of its history ("Visa fler"). */
export function historyAction(deps: CaseHandlerDeps): CardAction<typeof historySchema> {
  return {
    verb: 'cases.history',
    schema: historySchema,
    handle: (ctx) => showDetails(deps, ctx, ctx.data.code, { before: ctx.data.before }),
  };
}

/** `cases.log`: a page of the case's audit log (samordnare). */
export function logAction(deps: CaseHandlerDeps): CardAction<typeof logSchema> {
  return {
    verb: 'cases.log',
    schema: logSchema,
    async handle(ctx) {
      const { code, after } = ctx.data;
      const page = await caseLog(deps.cases, ctx.principal, {
        code,
        limit: LOG_PAGE_SIZES[0],
        key: ctx.activityId,
        ...(after ? { after } : {}),
      });
      return logCard(code, page, await namesOf(deps));
    },
  };
}

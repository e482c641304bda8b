import { z } from 'zod';
import type { CardAction } from '../../bot/bot.js';
import { renderCard, type CardJson } from '../../bot/card-renderer.js';
import type { Turn } from '../../bot/turn-port.js';
import { localDateSchema } from '../../schedule/schedule.schema.js';
import { caseCard, detailCard, logCard } from '../cards/case-cards.js';
import { carriedText, ok } from '../cards/case-text.js';
import { HISTORY_PAGE_SIZES } from '../cards/detail-view.js';
import { LOG_PAGE_SIZES } from '../cards/log-view.js';
import { queueView, waitingListView } from '../cards/queue-view.js';
import { caseCodeSchema, caseStatusSchema, summaryOf, type CaseSummary } from '../cases.schema.js';
import { caseLog } from '../use-cases/case-log.js';
import { openQueue } from '../use-cases/open-queue.js';
import { viewCase } from '../use-cases/view-case.js';
import { waitingList } from '../use-cases/waiting-list.js';
import { deliverPrivately, namesOf, type CaseHandlerDeps } from './case-handler-deps.js';

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
      return renderCard(
        'case-queue',
        queueView(
          queue.cases,
          names,
          ctx.principal,
          ctx.data.page,
          filter,
          moved ? ok(moved) : undefined,
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
      return renderCard(
        'case-waiting',
        waitingListView(lists, names, ctx.principal, ctx.data.page, !!insats),
      );
    },
  };
}

/** The details where they may be shown: here in the personal chat, else sent there. */
async function privately(
  deps: CaseHandlerDeps,
  turn: Turn,
  card: CardJson,
  what: string,
  summary: CaseSummary,
): Promise<CardJson> {
  const delivered = await deliverPrivately(deps, turn, card, what);
  if (delivered.shown) return card;
  return caseCard(summary, await namesOf(deps), turn.principal, { notice: ok(delivered.text) });
}

async function showDetails(deps: CaseHandlerDeps, turn: Turn, code: string, before?: number) {
  const { snapshot, history } = await viewCase(deps.cases, turn.principal, {
    code,
    limit: HISTORY_PAGE_SIZES[0],
    key: turn.activityId,
    ...(before ? { before } : {}),
  });
  const card = detailCard(snapshot, history, await namesOf(deps), turn.principal);
  return privately(deps, turn, card, `Ärende ${code}`, summaryOf(snapshot.value));
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
    handle: (ctx) => showDetails(deps, ctx, ctx.data.code, ctx.data.before),
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
      const card = logCard(code, page, await namesOf(deps));
      const delivered = await deliverPrivately(deps, ctx, card, `Loggen för ${code}`);
      return delivered.shown
        ? card
        : renderCard('notice', {
            title: `Loggen för ${code}`,
            text: delivered.text,
            tone: 'default',
          });
    },
  };
}

import type { CommandContext } from '../../bot/bot.js';
import { renderCard } from '../../bot/card-renderer.js';
import { caseCard, decisionCard, detailCard, logCard, stepNotice } from '../cards/case-cards.js';
import { carriedText, ok } from '../cards/case-text.js';
import { formView } from '../cards/form-view.js';
import { HISTORY_PAGE_SIZES } from '../cards/detail-view.js';
import { LOG_PAGE_SIZES } from '../cards/log-view.js';
import {
  queuePageOrganisations,
  queueView,
  waitingListView,
  waitingPageOrganisations,
} from '../cards/queue-view.js';
import { requireCase } from '../case-change.js';
import { maySeeDetails, requireSubmitter } from '../case-rights.js';
import { CASE_USAGE, parseCaseCommand, type CaseCommand } from '../cases.arguments.js';
import { summaryOf } from '../cases.schema.js';
import { caseLog } from '../use-cases/case-log.js';
import { closeCase } from '../use-cases/close-case.js';
import { enqueueCase } from '../use-cases/enqueue-case.js';
import { moveCase } from '../use-cases/move-case.js';
import { openDecision } from '../use-cases/open-decision.js';
import { openQueue } from '../use-cases/open-queue.js';
import { planCase } from '../use-cases/plan-case.js';
import { FORM_DAYS } from '../use-cases/planning.js';
import { presentCase } from '../use-cases/present-case.js';
import { viewCase } from '../use-cases/view-case.js';
import { waitingList } from '../use-cases/waiting-list.js';
import {
  deliverPrivately,
  isPersonal,
  namesOf,
  replyView,
  type CaseHandlerDeps,
} from './case-handler-deps.js';

/**
 * `/ärenden …`: parses the words strictly and answers with the card of the new state. Typed
 * commands are identified by the message's activity id, so a re-delivered message changes once.
 */
export function caseCommand(deps: CaseHandlerDeps) {
  const { cases } = deps;

  /** The case card a typed step answers with: the channel's copy in a channel. */
  const stepReply = async (
    ctx: CommandContext,
    step: Parameters<typeof stepNotice>[0],
    changed: Parameters<typeof stepNotice>[1],
  ) => {
    const { value } = changed.snapshot;
    const view = await replyView(deps, ctx, [value.organisationId]);
    return caseCard(summaryOf(value), await namesOf(deps), view.viewer, {
      notice: stepNotice(step, changed),
      refreshUserIds: view.refreshUserIds,
    });
  };

  const run = async (ctx: CommandContext, command: CaseCommand) => {
    const { principal: actor, conversationId } = ctx;
    const key = ctx.activityId;
    switch (command.kind) {
      case 'help':
        return ctx.reply(['**/ärenden** – ärendekön', ...CASE_USAGE].join('\n\n'));
      case 'new': {
        if (isPersonal(ctx)) {
          return ctx.reply(
            'Skriv /ärenden ny i kanalen där ärendet ska dras, så hamnar det i rätt kö.',
          );
        }
        const organisationId = await requireSubmitter(cases.people, actor);
        const [names, upcoming] = await Promise.all([
          namesOf(deps),
          cases.meetings.upcoming(conversationId, FORM_DAYS),
        ]);
        const name = names.get(organisationId) ?? organisationId;
        return ctx.reply(renderCard('case-form', formView(name, upcoming)));
      }
      case 'list': {
        if (isPersonal(ctx)) {
          return ctx.reply('Ärendekön hör till kanalen där mötena hålls. Skriv /ärenden där.');
        }
        const [names, queue] = await Promise.all([
          namesOf(deps),
          openQueue(cases, conversationId, command.filter),
        ]);
        const moved = carriedText(queue.carried);
        const view = await replyView(deps, ctx, queuePageOrganisations(queue.cases, 1));
        return ctx.reply(
          renderCard(
            'case-queue',
            queueView(
              queue.cases,
              names,
              view.viewer,
              1,
              command.filter,
              moved ? ok(moved) : undefined,
              view,
            ),
          ),
        );
      }
      case 'queue': {
        const [names, lists] = await Promise.all([
          namesOf(deps),
          waitingList(cases, conversationId, command.insats),
        ]);
        const view = await replyView(deps, ctx, waitingPageOrganisations(lists, 1));
        return ctx.reply(
          renderCard(
            'case-waiting',
            waitingListView(lists, names, view.viewer, 1, !!command.insats, view),
          ),
        );
      }
      case 'enqueue': {
        const changed = await enqueueCase(cases, actor, { ...command, key });
        const { value } = changed.snapshot;
        const place = (
          await waitingList(cases, value.conversationId, value.queue?.insats)
        ).places.find((p) => p.value.code === value.code)?.position;
        const queued = `${value.code} står i kö till ${value.queue!.insats}${place ? ` på plats ${place}` : ''}.`;
        const view = await replyView(deps, ctx, [value.organisationId]);
        return ctx.reply(
          caseCard(summaryOf(value), await namesOf(deps), view.viewer, {
            notice: ok(queued),
            refreshUserIds: view.refreshUserIds,
          }),
        );
      }
      case 'show': {
        if (!isPersonal(ctx)) {
          const current = await requireCase(cases.store, command.code);
          if (
            current.value.conversationId === conversationId &&
            maySeeDetails(actor, current.value)
          ) {
            // The reply is the channel's copy; the asker's Teams refreshes it into the details.
            const view = await replyView(deps, ctx, [current.value.organisationId], [actor.userId]);
            return ctx.reply(
              caseCard(summaryOf(current.value), await namesOf(deps), undefined, {
                notice: ok(
                  `Detaljerna i ${command.code} visas i kortet för dig, inte för alla här.`,
                ),
                refreshUserIds: view.refreshUserIds,
              }),
            );
          }
        }
        const { snapshot, history } = await viewCase(cases, actor, {
          code: command.code,
          limit: HISTORY_PAGE_SIZES[0],
          key,
        });
        const card = detailCard(snapshot, history, await namesOf(deps), actor);
        const delivered = await deliverPrivately(deps, ctx, card, `Ärende ${command.code}`);
        return ctx.reply(delivered.shown ? card : delivered.text);
      }
      case 'log': {
        const page = await caseLog(cases, actor, {
          code: command.code,
          limit: LOG_PAGE_SIZES[0],
          key,
        });
        const card = logCard(command.code, page, await namesOf(deps));
        const delivered = await deliverPrivately(deps, ctx, card, `Loggen för ${command.code}`);
        return ctx.reply(delivered.shown ? card : delivered.text);
      }
      case 'plan':
      case 'move': {
        const request = { ...command, key, conversationId };
        const changed =
          command.kind === 'plan'
            ? await planCase(cases, actor, request)
            : await moveCase(cases, actor, { ...request, date: command.date });
        return ctx.reply(await stepReply(ctx, command.kind, changed));
      }
      case 'present':
      case 'close': {
        const request = { code: command.code, key };
        const changed =
          command.kind === 'present'
            ? await presentCase(cases, actor, request)
            : await closeCase(cases, actor, request);
        return ctx.reply(await stepReply(ctx, command.kind, changed));
      }
      case 'decide': {
        const { snapshot, attendance } = await openDecision(cases, actor, command.code);
        return ctx.reply(decisionCard(snapshot, await namesOf(deps), attendance));
      }
    }
  };

  return async (ctx: CommandContext) => {
    const command = parseCaseCommand(ctx.command.args, await deps.organisations());
    await run(ctx, command);
  };
}

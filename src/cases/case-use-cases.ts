import type { Principal } from '../access/access.schema.js';
import { requireCase } from './case-change.js';
import type { CaseDeps } from './case-ports.js';
import { admissionOf, linkParticipant } from './use-cases/admission.js';
import { carryOverAll } from './use-cases/carry-over.js';
import { caseLog } from './use-cases/case-log.js';
import { openQueue, type CaseFilter } from './use-cases/open-queue.js';
import { waitingList } from './use-cases/waiting-list.js';
import { newId } from '../ids.js';

/**
 * The case use cases the rest of the bot calls (the periodic carry-over, enrolment from a
 * granted case) and tests read through, bound to their dependencies.
 */
export function caseUseCases(deps: CaseDeps) {
  return {
    deps,
    /** A case with its decisions, as stored. */
    summary: async (code: string) => requireCase(deps.store, code),
    openQueue: (conversationId: string, filter: CaseFilter = {}) =>
      openQueue(deps, conversationId, filter),
    waitingList: (conversationId: string, insats?: string) =>
      waitingList(deps, conversationId, insats),
    carryOverAll: () => carryOverAll(deps),
    admissionOf: (actor: Principal, code: string) => admissionOf(deps, actor, code),
    linkParticipant: async (actor: Principal, code: string, participantCode: string) =>
      (await linkParticipant(deps, actor, code, participantCode)).snapshot,
    /** Every entry of a case's audit log, newest first. */
    async log(actor: Principal, code: string) {
      const entries = [];
      let after: string | undefined;
      for (;;) {
        const page = await caseLog(deps, actor, {
          code,
          limit: 500,
          key: newId(),
          ...(after ? { after } : {}),
        });
        entries.push(...page.entries);
        if (!page.more) return entries;
        after = page.entries.at(-1)?.cursor;
      }
    },
  };
}
export type CaseUseCases = ReturnType<typeof caseUseCases>;

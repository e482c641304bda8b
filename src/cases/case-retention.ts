import type { AuditEntry } from '../audit/audit.schema.js';
import type { CaseStore, ClosedCase } from './case-store.js';
import { CASE_CODE_PATTERN, parseCaseCode, type CaseStatistic } from './cases.schema.js';
import { retryOnConflict } from '../concurrency.js';
import type { RegisterSource, RetentionSource } from '../retention/retention.schema.js';

const LOG_PAGE = 500;
const HISTORY_PAGE = 500;

/** The anonymous statistic a case leaves behind: organisation, outcome, month. */
export function statisticOf(
  value: Pick<ClosedCase, 'organisationId' | 'outcome' | 'closedAt'>,
): CaseStatistic {
  return {
    month: value.closedAt.slice(0, 7),
    organisationId: value.organisationId,
    outcome: value.outcome,
  };
}

const monthAfter = (date: Date) => {
  const next = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
  return next.toISOString().slice(0, 7);
};

/** Closed cases older than the period are reduced to anonymous statistics. */
export function closedCaseRetention(cases: CaseStore): RetentionSource {
  const due = async (cutoff: Date) =>
    (await cases.closedBefore(monthAfter(cutoff))).filter((c) => new Date(c.closedAt) < cutoff);
  return {
    kind: 'closedCases',
    label: 'Avslutade ärenden',
    async preview(cutoff) {
      return { removed: 0, anonymised: (await due(cutoff)).length };
    },
    async purge(cutoff) {
      let anonymised = 0;
      for (const closed of await due(cutoff)) {
        await cases.reduce(closed.code, statisticOf(closed));
        anonymised++;
      }
      return { removed: 0, anonymised };
    },
  };
}

/** Every entry of a case's audit log, oldest first. */
async function wholeLog(cases: CaseStore, code: string): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await cases.log(code, { limit: LOG_PAGE, ...(after ? { after } : {}) });
    entries.push(...page.entries.map(({ cursor: _cursor, ...entry }) => entry));
    if (!page.more) return entries.reverse();
    after = page.entries.at(-1)?.cursor;
  }
}

/** Registerutdrag and erasure for case codes; the audit trail is the case's own log. */
export function caseRegister(cases: CaseStore): RegisterSource {
  return {
    subjectType: 'case',
    owns: (code) => CASE_CODE_PATTERN.test(code),
    readCode: (word) => {
      try {
        return parseCaseCode(word, '');
      } catch {
        return undefined;
      }
    },
    async extract(code) {
      const snapshot = await cases.get(code);
      if (!snapshot) return undefined;
      const history = [];
      let before: number | undefined = snapshot.value.historyCount + 1;
      while (before !== undefined) {
        const page = await cases.history(code, { before, limit: HISTORY_PAGE });
        history.push(...page.entries);
        before = page.before;
      }
      return {
        ...snapshot.value,
        decisions: snapshot.decisions,
        history: history.reverse().map(({ seq: _seq, ...event }) => event),
      };
    },
    auditTrail: (code) => wholeLog(cases, code),
    async recordAudit(code, entry, key) {
      await cases.record(code, [entry], key);
    },
    async erase(code) {
      return retryOnConflict(async () => {
        const snapshot = await cases.get(code);
        if (!snapshot) {
          return { erased: false, refused: `Det finns inget ärende med koden ${code}.` };
        }
        const { value, decisions } = snapshot;
        if (value.status === 'planerad' || value.status === 'dragen') {
          return {
            erased: false,
            refused: `Ärendet ${code} står på ett mötes dagordning (${value.status}). Flytta eller avsluta det innan det raderas.`,
          };
        }
        await cases.reduce(
          code,
          statisticOf({
            organisationId: value.organisationId,
            outcome: decisions.at(-1)?.outcome ?? 'ingetBeslut',
            closedAt: value.closedAt ?? value.updatedAt,
          }),
        );
        return { erased: true };
      });
    },
  };
}

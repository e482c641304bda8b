import type { CaseRepository } from '../cases/cases.repository.js';
import { CASE_CODE_PATTERN, type Case } from '../cases/cases.schema.js';
import { retryOnConflict } from '../concurrency.js';
import type { RegisterSource, RetentionSource } from './retention.schema.js';

/** The anonymous statistic a case leaves behind: organisation, outcome, month. */
export function statisticOf(value: Case) {
  return {
    month: (value.closedAt ?? value.updatedAt).slice(0, 7),
    organisationId: value.organisationId,
    outcome: value.decisions.at(-1)?.outcome ?? ('ingetBeslut' as const),
  };
}

const monthAfter = (date: Date) => {
  const next = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
  return next.toISOString().slice(0, 7);
};

/** Closed cases older than the period are reduced to anonymous statistics. */
export function closedCaseRetention(cases: CaseRepository): RetentionSource {
  const due = async (cutoff: Date) =>
    (await cases.listClosedBefore(monthAfter(cutoff))).filter(
      (c) => c.value.closedAt !== undefined && new Date(c.value.closedAt) < cutoff,
    );
  return {
    kind: 'closedCases',
    label: 'Avslutade ärenden',
    async preview(cutoff) {
      return { removed: 0, anonymised: (await due(cutoff)).length };
    },
    async purge(cutoff) {
      let anonymised = 0;
      for (const stored of await due(cutoff)) {
        await cases.reduce(stored.value, stored.version, statisticOf(stored.value));
        anonymised++;
      }
      return { removed: 0, anonymised };
    },
  };
}

/** Registerutdrag and erasure for case codes. */
export function caseRegister(cases: CaseRepository): RegisterSource {
  return {
    subjectType: 'case',
    owns: (code) => CASE_CODE_PATTERN.test(code),
    async extract(code) {
      return (await cases.get(code))?.value;
    },
    async erase(code) {
      return retryOnConflict(async () => {
        const stored = await cases.get(code);
        if (!stored) return { erased: false, refused: `Det finns inget ärende med koden ${code}.` };
        const { status } = stored.value;
        if (status === 'planerad' || status === 'dragen') {
          return {
            erased: false,
            refused: `Ärendet ${code} står på ett mötes dagordning (${status}). Flytta eller avsluta det innan det raderas.`,
          };
        }
        await cases.reduce(stored.value, stored.version, statisticOf(stored.value));
        return { erased: true };
      });
    },
  };
}

import { invalidInput } from '../errors.js';
import { caseStatusLabels, type CaseOutcome, type CaseStatus } from './cases.schema.js';

/**
 * Every legal step of an ärende. Anything not listed is refused, so a stale card or a mistyped
 * command can never push a case backwards or skip the meeting.
 */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  inkommen: ['planerad', 'iko', 'avslutad'],
  planerad: ['planerad', 'dragen', 'avslutad'],
  dragen: ['beslut', 'iko', 'aterremitterad'],
  beslut: ['avslutad'],
  aterremitterad: ['planerad', 'avslutad'],
  iko: ['planerad', 'avslutad'],
  avslutad: [],
};

/** Where a decision leaves the case. */
export const statusAfterOutcome: Readonly<Record<CaseOutcome, CaseStatus>> = {
  beviljas: 'beslut',
  annanInsats: 'beslut',
  avslag: 'beslut',
  ko: 'iko',
  aterremiss: 'aterremitterad',
};

/** The order the queue shows its groups in: what is on the table now first. */
export const QUEUE_ORDER: readonly CaseStatus[] = [
  'dragen',
  'planerad',
  'inkommen',
  'aterremitterad',
  'iko',
  'beslut',
  'avslutad',
];

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return CASE_TRANSITIONS[from].includes(to);
}

/** Throws a Swedish explanation when `from → to` is not a step of the life cycle. */
export function requireTransition(code: string, from: CaseStatus, to: CaseStatus): void {
  if (canTransition(from, to)) return;
  const allowed = CASE_TRANSITIONS[from].map((s) => caseStatusLabels[s].toLowerCase());
  throw invalidInput(
    `Ärendet ${code} är ${caseStatusLabels[from].toLowerCase()} och kan inte bli ${caseStatusLabels[to].toLowerCase()}. ` +
      (allowed.length > 0
        ? `Nästa steg kan vara: ${allowed.join(', ')}.`
        : 'Ett avslutat ärende kan inte ändras.'),
  );
}

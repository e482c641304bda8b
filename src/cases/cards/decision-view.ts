import { z } from 'zod';
import type { CaseSnapshot } from '../case-store.js';
import { caseOutcomeLabels, CASE_OUTCOMES, summaryOf } from '../cases.schema.js';
import type { Attendance } from '../use-cases/attendance.js';
import { NO_NOTICE, orgName, summaryRow, type Notice, type OrgNames } from './case-text.js';
import { newId } from '../../ids.js';

/** What the samordnare had filled in, given back when the card is shown again. */
export interface DecisionValues {
  readonly requestId?: string;
  readonly outcome?: string;
  readonly insats?: string;
  readonly motivation?: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The decision form's fields from raw card values (only strings are kept). */
export function decisionValuesOf(values: Readonly<Record<string, unknown>>): DecisionValues {
  return {
    requestId: text(values.requestId),
    outcome: text(values.outcome),
    insats: text(values.insats),
    motivation: text(values.motivation),
  };
}

/** The decision card: who is present, a warning when the referring organisation is absent. */
export function decisionView(
  snapshot: CaseSnapshot,
  names: OrgNames,
  attendance: Attendance,
  notice: Notice = NO_NOTICE,
  values: DecisionValues = {},
) {
  const { value } = snapshot;
  const referrer = orgName(names, value.organisationId);
  const open = value.status === 'planerad' || value.status === 'dragen';
  const last = snapshot.decisions.at(-1);
  return {
    ...summaryRow(summaryOf(value), names),
    notice: notice.text,
    noticeIsError: notice.isError,
    canDecide: open,
    presentText: attendance.recorded
      ? `Närvarande: ${attendance.present.map((id) => orgName(names, id)).join(', ') || 'ingen'}`
      : 'Närvaron är inte registrerad för mötet ännu.',
    warning:
      open && attendance.recorded && !attendance.referrerPresent
        ? `Varning: den anmälande organisationen (${referrer}) är inte närvarande.`
        : '',
    decided:
      last && !open
        ? `Beslut: ${caseOutcomeLabels[last.outcome]}${last.insats ? ` (${last.insats})` : ''}`
        : '',
    requestId: z.uuid().safeParse(values.requestId).success ? values.requestId! : newId(),
    meetingId: value.plan?.meetingId ?? '',
    meetingDate: value.plan?.date ?? '',
    outcome: values.outcome ?? '',
    insats: values.insats || value.insats || '',
    motivation: values.motivation ?? '',
    outcomes: CASE_OUTCOMES.map((o) => ({ title: caseOutcomeLabels[o], value: o })),
  };
}

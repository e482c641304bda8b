import type { FlowLine, Lagesrapport } from './lagesrapport.js';
import { formatNumber, formatShare } from './number-format.js';
import { dateLabel } from './report-period.js';
import type { BuiltReport } from './report.service.js';

/**
 * The sentences of the lägesrapport, shared by the card and the Word file, in the words the
 * länsdelar use in their reports.
 */
export function flowSentence(flow: FlowLine): string {
  const actual = `Utfallet är ${formatNumber(flow.actual)}`;
  if (flow.planned === undefined) {
    return `${actual} inskrivna sedan start. Inget planerat flöde finns angivet för det här urvalet.`;
  }
  const share =
    flow.tenths === undefined
      ? ''
      : `, vilket motsvarar ${formatShare(flow.tenths)} av planerat flöde`;
  const basis =
    flow.coaches !== undefined &&
    flow.participantsPerCoach !== undefined &&
    flow.planYears !== undefined
      ? `Med ${formatNumber(flow.coaches)} coacher och ca ${formatNumber(flow.participantsPerCoach)} deltagare per coach och år under ${formatNumber(flow.planYears)} år skulle vi fullt bemannade ta emot ${formatNumber(flow.planned)} deltagare.`
      : `Det planerade flödet är ${formatNumber(flow.planned)} deltagare.`;
  return `${basis} ${actual}${share}.`;
}

/** The plan so far, when the insats is still within its planned years. */
export function flowToDateSentence(flow: FlowLine): string {
  if (
    flow.plannedToDate === undefined ||
    flow.tenthsToDate === undefined ||
    flow.planYears === undefined ||
    flow.elapsedYears >= flow.planYears
  ) {
    return '';
  }
  return `Hittills har ${formatNumber(flow.elapsedYears)} av ${formatNumber(flow.planYears)} år gått: då skulle vi fullt bemannade ha tagit emot ${formatNumber(flow.plannedToDate)}, och utfallet motsvarar ${formatShare(flow.tenthsToDate)} av det.`;
}

/** `104 kvinnor och 105 män`, or `104 kvinnor, 105 män och 3 med annat eller ej angivet kön`. */
export function genderSentence(report: Lagesrapport): string {
  const { kvinna, man, annat } = report.byGender;
  const women = `${formatNumber(kvinna.count)} kvinnor`;
  const men = `${formatNumber(man.count)} män`;
  return annat.count > 0
    ? `${women}, ${men} och ${formatNumber(annat.count)} med annat eller ej angivet kön`
    : `${women} och ${men}`;
}

/** What the cut-off is and why, for the card and the document. */
export function cutOffText(built: BuiltReport): string {
  const { asOf, halfYear } = built.report;
  switch (built.basis) {
    case 'chosen':
      return `Per ${dateLabel(asOf)}.`;
    case 'halfYearToDate':
      return `Halvåret hittills: ${dateLabel(halfYear.start)} – ${dateLabel(asOf)} (per i dag). Ange ett datum för ett annat läge, till exempel 2026-06-30.`;
    case 'latestWithData':
      return `Inget är registrerat under halvåret hittills, så rapporten visar senaste halvåret med uppgifter: per ${dateLabel(asOf)}.`;
    case 'noData':
      return `Per ${dateLabel(asOf)}. Inga deltagare är registrerade ännu.`;
  }
}

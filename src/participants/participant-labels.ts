import type { AgeGroup, Deviation, Referral, Step } from './participants.schema.js';

export { genderLabels } from './participants.schema.js';

export const ageLabels: Record<AgeGroup, string> = {
  under30: 'Under 30 år',
  '30-49': '30–49 år',
  '50+': '50 år och äldre',
};

export const referralLabels: Record<Referral, string> = {
  ekonomisktBistand: 'Ekonomiskt bistånd',
  forsakringskassan: 'Försäkringskassan',
  psykiatrin: 'Psykiatrin',
  arbetsformedlingen: 'Arbetsförmedlingen',
  annan: 'Annan',
};

export const stepLabels: Record<Step, string> = {
  inskrivning: 'Inskrivning',
  kartlaggning: 'Kartläggning',
  motiverande: 'Motiverande samtal/vägledning',
  studiebesok: 'Studiebesök',
  arbetstraning: 'Arbetsträning',
  arbetsprovning: 'Arbetsprövning',
  studier: 'Studier',
  arbeteSubventionerad: 'Arbete (subventionerat)',
  arbeteOsubventionerad: 'Arbete (osubventionerat)',
  annanInsats: 'Annan insats',
  avbrott: 'Avbrott',
  avslutad: 'Avslutad',
};

/** Words a coach may type for a step in `/deltagare steg`, folded (no diacritics). */
export const stepWords: Record<string, Exclude<Step, 'inskrivning'>> = {
  kartlaggning: 'kartlaggning',
  motiverande: 'motiverande',
  vagledning: 'motiverande',
  studiebesok: 'studiebesok',
  arbetstraning: 'arbetstraning',
  arbetsprovning: 'arbetsprovning',
  studier: 'studier',
  'arbete-sub': 'arbeteSubventionerad',
  subventionerad: 'arbeteSubventionerad',
  arbete: 'arbeteOsubventionerad',
  osubventionerad: 'arbeteOsubventionerad',
  'annan-insats': 'annanInsats',
  annan: 'annanInsats',
  avbrott: 'avbrott',
  avslutad: 'avslutad',
};

export const deviationLabels: Record<Deviation, string> = {
  uteblivet: 'Uteblivet besök',
  planEjFoljd: 'Planen följs inte',
};

/**
 * The notice after a step is recorded. The step is named after the neuter "steget", so every
 * label reads right ("Steget kartläggning är registrerat"), followed by when the next follow-up
 * is due (or that the participant has ended).
 */
export function stepRecordedText(
  step: Step,
  on: string,
  after: { readonly nextFollowUpOn?: string | undefined; readonly code?: string },
): string {
  const label = stepLabels[step].toLocaleLowerCase('sv-SE');
  const forWhom = after.code ? ` för ${after.code}` : '';
  const next = after.nextFollowUpOn
    ? ` Nästa uppföljning senast ${after.nextFollowUpOn}.`
    : ' Inga fler uppföljningar: deltagaren har avslutat insatsen.';
  return `Steget ${label} är registrerat${forWhom} (${on}).${next}`;
}

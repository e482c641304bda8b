import type { AgeRow, Outcome } from './lagesrapport.js';

export { genderLabels } from '../participants/participants.schema.js';

/** The age rows as the lägesrapport names them. */
export const ageRowLabels: Record<AgeRow, string> = {
  under30: 'Under 30 år',
  '30plus': '30 år och äldre',
  '50plus': '50 år och äldre',
  '30-49': 'varav 30–49 år',
  ejRegistrerad: 'Ålder ej registrerad (utan samtycke)',
};

/** Short age labels for charts, where long labels get cut. */
export const ageRowShortLabels: Record<AgeRow, string> = {
  under30: 'Under 30',
  '30plus': '30+',
  '50plus': '50+',
  '30-49': '30–49',
  ejRegistrerad: 'Ej reg.',
};

export const outcomeLabels: Record<Outcome, string> = {
  arbete: 'Arbete',
  studier: 'Studier',
  annanInsats: 'Annan insats',
  avbrott: 'Avbrott',
  pagar: 'Pågår i insatsen',
  avslutad: 'Avslutad utan utfall',
};

export const UNKNOWN_KOMMUN_LABEL = 'Kommun ej registrerad (utan samtycke)';
export const GONE_ON_LABEL = 'Gått vidare till arbete, studier eller annan insats';

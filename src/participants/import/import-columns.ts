import { invalidInput } from '../../errors.js';
import { foldForLookup } from '../../text.js';
import type { RecordableStep } from '../participants.schema.js';
import { columnLetter, type ListTable } from './list-table.js';

/** The columns a participant list may have, by what they hold. */
export type ColumnKind =
  | { kind: 'gender' }
  | { kind: 'birthYear' }
  | { kind: 'ageGroup' }
  | { kind: 'kommun' }
  | { kind: 'lansdel' }
  | { kind: 'startDate' }
  | { kind: 'referral' }
  | { kind: 'insats' }
  | { kind: 'consent' }
  | { kind: 'step'; step: RecordableStep }
  | { kind: 'which' }
  | { kind: 'outcome' }
  | { kind: 'outcomeDate' };

/** Swedish labels of the columns, for messages and the import card. */
export const COLUMN_LABELS: Record<Exclude<ColumnKind['kind'], 'step'>, string> = {
  gender: 'Kön',
  birthYear: 'Födelseår',
  ageGroup: 'Åldersgrupp',
  kommun: 'Kommun',
  lansdel: 'Länsdel',
  startDate: 'Startdatum',
  referral: 'Remitterande organisation',
  insats: 'Insats',
  consent: 'Samtycke',
  which: 'Annan insats (vilken)',
  outcome: 'Utfall',
  outcomeDate: 'Utfallsdatum',
};

export const STEP_COLUMN_LABELS: Record<RecordableStep, string> = {
  kartlaggning: 'Kartläggning',
  motiverande: 'Motiverande samtal',
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

/** Headings folded to letters and digits only: `Födelse-år` → `fodelsear`. */
const fold = (heading: string) => foldForLookup(heading).replace(/[^a-z0-9]/g, '');

const HEADINGS: Record<string, ColumnKind> = {
  kon: { kind: 'gender' },
  gender: { kind: 'gender' },
  fodelsear: { kind: 'birthYear' },
  fodd: { kind: 'birthYear' },
  fodelsearaaaa: { kind: 'birthYear' },
  aldersgrupp: { kind: 'ageGroup' },
  alder: { kind: 'ageGroup' },
  kommun: { kind: 'kommun' },
  lansdel: { kind: 'lansdel' },
  startdatum: { kind: 'startDate' },
  start: { kind: 'startDate' },
  inskriven: { kind: 'startDate' },
  inskrivningsdatum: { kind: 'startDate' },
  remitterandeorganisation: { kind: 'referral' },
  remittent: { kind: 'referral' },
  remitteradfran: { kind: 'referral' },
  remitterandemyndighet: { kind: 'referral' },
  insats: { kind: 'insats' },
  samtycke: { kind: 'consent' },
  samtyckefinns: { kind: 'consent' },
  samtycketilluppfoljningfinsam: { kind: 'consent' },
  kartlaggning: { kind: 'step', step: 'kartlaggning' },
  motiverande: { kind: 'step', step: 'motiverande' },
  motiverandesamtal: { kind: 'step', step: 'motiverande' },
  vagledning: { kind: 'step', step: 'motiverande' },
  studiebesok: { kind: 'step', step: 'studiebesok' },
  arbetstraning: { kind: 'step', step: 'arbetstraning' },
  arbetsprovning: { kind: 'step', step: 'arbetsprovning' },
  studier: { kind: 'step', step: 'studier' },
  arbetesubventionerat: { kind: 'step', step: 'arbeteSubventionerad' },
  arbetesubventionerad: { kind: 'step', step: 'arbeteSubventionerad' },
  subventioneratarbete: { kind: 'step', step: 'arbeteSubventionerad' },
  arbete: { kind: 'step', step: 'arbeteOsubventionerad' },
  arbeteosubventionerat: { kind: 'step', step: 'arbeteOsubventionerad' },
  arbeteosubventionerad: { kind: 'step', step: 'arbeteOsubventionerad' },
  annaninsats: { kind: 'step', step: 'annanInsats' },
  avbrott: { kind: 'step', step: 'avbrott' },
  avslutad: { kind: 'step', step: 'avslutad' },
  annaninsatsvilken: { kind: 'which' },
  vilkenannaninsats: { kind: 'which' },
  utfall: { kind: 'outcome' },
  utfallsdatum: { kind: 'outcomeDate' },
  datumforutfall: { kind: 'outcomeDate' },
};

/** Headings that name a person or a personal identity number: the whole list is refused. */
const IDENTITY = [
  /namn/,
  /^name/,
  /firstname|lastname|surname/,
  /personnummer|personnr|^pnr|^persnr|personid|^ssn$/,
  /samordningsnummer|samordningsnr|^snr$/,
  /fodelsedatum|fodelsedag|birthdate|dateofbirth/,
  /^deltagare$/,
];

/** A column with its kind and where it is. */
export interface Column {
  readonly index: number;
  readonly letter: string;
  readonly label: string;
  readonly kind: ColumnKind;
}

export function columnLabel(kind: ColumnKind): string {
  return kind.kind === 'step' ? STEP_COLUMN_LABELS[kind.step] : COLUMN_LABELS[kind.kind];
}

/**
 * Reads the heading row. A heading that names people or personnummer refuses the whole list; so
 * does one the bot does not know (it could hold anything). Nothing the file says is quoted back:
 * columns are named by letter.
 */
export function mapColumns(table: ListTable): Column[] {
  const columns: Column[] = [];
  const seen = new Set<string>();
  table.headings.forEach((heading, index) => {
    const letter = columnLetter(index);
    const folded = fold(heading);
    if (folded === '') {
      if (table.rows.some((row) => (row.cells[index] ?? '') !== '')) {
        throw invalidInput(
          `Kolumn ${letter} saknar rubrik men har uppgifter. Ge den en rubrik från mallen eller ta bort den. Inget har sparats.`,
        );
      }
      return;
    }
    if (IDENTITY.some((pattern) => pattern.test(folded))) {
      throw invalidInput(
        `Listan har en kolumn med namn, personnummer, samordningsnummer eller födelsedatum (kolumn ${letter}). Sådana uppgifter får aldrig lämnas till boten. Ta bort kolumnen och skicka listan igen. Inget har sparats.`,
      );
    }
    const kind = HEADINGS[folded];
    if (!kind) {
      throw invalidInput(
        `Kolumn ${letter} har en rubrik som boten inte känner igen, så listan lästes inte in. Använd rubrikerna i mallen (skriv /deltagare import) eller ta bort kolumnen. Inget har sparats.`,
      );
    }
    const key = kind.kind === 'step' ? `step:${kind.step}` : kind.kind;
    if (seen.has(key)) {
      throw invalidInput(
        `Kolumn ${letter} finns redan (${columnLabel(kind)}). Varje uppgift ska stå i en kolumn. Inget har sparats.`,
      );
    }
    seen.add(key);
    columns.push({ index, letter, label: columnLabel(kind), kind });
  });
  for (const needed of ['gender', 'startDate', 'consent'] as const) {
    if (!columns.some((c) => c.kind.kind === needed)) {
      throw invalidInput(
        `Listan saknar kolumnen ${COLUMN_LABELS[needed]}. Varje rad behöver kön, startdatum och samtycke. Inget har sparats.`,
      );
    }
  }
  return columns;
}

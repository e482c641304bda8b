import { createHash } from 'node:crypto';
import { isAppError } from '../../errors.js';
import { containsPersonName } from '../../privacy/person-names.js';
import { containsPersonalIdentityNumber } from '../../privacy/personal-identity-number.js';
import { isValidLocalDate } from '../../schedule/local-time.js';
import { foldForLookup, slugify } from '../../text.js';
import { descriptorsOf, droppedWithoutConsent, type EarlierStep } from '../enrol-participant.js';
import type {
  AgeGroup,
  Enrolment,
  Gender,
  Referral,
  RecordableStep,
} from '../participants.schema.js';
import { findInsats, findKommun, type Lansdel, type Program } from '../../program.js';
import { columnLabel, type Column } from './import-columns.js';
import { invalidInput } from '../../errors.js';
import type { ListTable } from './list-table.js';

/** A row ready to import: the enrolment as the form would give it, and its earlier steps. */
export interface ImportRow {
  readonly number: number;
  /** Same row, same list, same länsdel: same id, so a list imported twice adds nothing. */
  readonly requestId: string;
  readonly enrolment: Omit<Enrolment, 'requestId' | 'coachId' | 'coachName' | 'source'>;
  readonly steps: readonly EarlierStep[];
  /** Consent-only fields that were filled in without consent (not kept). */
  readonly notKept: readonly string[];
}

export interface RowProblem {
  /** Absent for a problem of the whole list. */
  readonly row?: number;
  readonly column?: string;
  readonly label?: string;
  readonly message: string;
}

export interface CheckedList {
  readonly lansdel: Lansdel | undefined;
  readonly ready: readonly ImportRow[];
  readonly problems: readonly RowProblem[];
  /** Rows with at least one problem (they are left out). */
  readonly refusedRows: number;
}

const GENDER_WORDS: Record<string, Gender> = {
  kvinna: 'kvinna',
  k: 'kvinna',
  kvinnor: 'kvinna',
  f: 'kvinna',
  female: 'kvinna',
  man: 'man',
  m: 'man',
  male: 'man',
  annat: 'annat',
  'ej angivet': 'annat',
  'annat/ej angivet': 'annat',
  x: 'annat',
  okant: 'annat',
};
const YES = new Set(['ja', 'j', 'x', 'yes', '1', 'sant', 'true', 'finns']);
const NO = new Set(['nej', 'n', '', 'no', '0', 'falskt', 'false', 'saknas']);
const AGE_WORDS: Record<string, AgeGroup> = {
  under30: 'under30',
  '<30': 'under30',
  'under 30': 'under30',
  'under 30 ar': 'under30',
  '30-49': '30-49',
  '30–49': '30-49',
  '30-49 ar': '30-49',
  '30–49 ar': '30-49',
  '50+': '50+',
  '50 och aldre': '50+',
  '50 ar och aldre': '50+',
};
const REFERRAL_WORDS: Record<string, Referral> = {
  'ekonomiskt bistand': 'ekonomisktBistand',
  socialtjansten: 'ekonomisktBistand',
  kommunen: 'ekonomisktBistand',
  kommun: 'ekonomisktBistand',
  forsakringskassan: 'forsakringskassan',
  fk: 'forsakringskassan',
  psykiatrin: 'psykiatrin',
  region: 'psykiatrin',
  regionen: 'psykiatrin',
  arbetsformedlingen: 'arbetsformedlingen',
  af: 'arbetsformedlingen',
  annan: 'annan',
  ovrigt: 'annan',
};
const OUTCOME_WORDS: Record<string, RecordableStep> = {
  arbete: 'arbeteOsubventionerad',
  'arbete (osubventionerat)': 'arbeteOsubventionerad',
  'osubventionerat arbete': 'arbeteOsubventionerad',
  'arbete (subventionerat)': 'arbeteSubventionerad',
  'subventionerat arbete': 'arbeteSubventionerad',
  studier: 'studier',
  'annan insats': 'annanInsats',
  avbrott: 'avbrott',
  avslutad: 'avslutad',
};

/** The organisation that answers for a referral: the kommun's own for ekonomiskt bistånd. */
function organisationOf(referral: Referral | undefined, kommun: string | undefined): string {
  switch (referral) {
    case 'forsakringskassan':
      return 'fk';
    case 'arbetsformedlingen':
      return 'af';
    case 'psykiatrin':
      return 'region';
    default:
      return kommun ? `kommun-${slugify(kommun)}` : 'forbundskansliet';
  }
}

const DATE_HINT = 'Datum skrivs ÅÅÅÅ-MM-DD, till exempel 2025-03-15.';

/** The länsdel most of the list's kommuner (or länsdel cells) point to, when one clearly leads. */
export function lansdelOfList(program: Program, table: ListTable, columns: readonly Column[]) {
  if (program.lansdelar.length === 1) return program.lansdelar[0];
  const votes = new Map<string, number>();
  for (const column of columns) {
    if (column.kind.kind !== 'kommun' && column.kind.kind !== 'lansdel') continue;
    for (const row of table.rows) {
      const cell = row.cells[column.index] ?? '';
      if (!cell) continue;
      const lansdel =
        column.kind.kind === 'kommun'
          ? findKommun(program, cell)?.lansdel
          : program.lansdelar.find(
              (l) => foldForLookup(l.name) === foldForLookup(cell) || l.id === foldForLookup(cell),
            );
      if (lansdel) votes.set(lansdel.id, (votes.get(lansdel.id) ?? 0) + 1);
    }
  }
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  const [leader, runnerUp] = ranked;
  if (!leader || (runnerUp && runnerUp[1] === leader[1])) return undefined;
  return program.lansdelar.find((l) => l.id === leader[0]);
}

/**
 * Checks every row of a list for one länsdel, the way the enrolment form checks its fields.
 * Problems are given by row and column (letter and label), never with the cell's value.
 */
export function checkRows(
  program: Program,
  table: ListTable,
  columns: readonly Column[],
  lansdel: Lansdel | undefined,
  today: string,
): CheckedList {
  const problems: RowProblem[] = [];
  const ready: ImportRow[] = [];
  if (!lansdel) {
    return {
      lansdel,
      ready,
      problems: [
        { message: 'Välj länsdel för listan på kortet och uppdatera förhandsgranskningen.' },
      ],
      refusedRows: 0,
    };
  }
  const seen = new Map<string, number>();
  let refusedRows = 0;
  for (const row of table.rows) {
    const rowProblems: RowProblem[] = [];
    const problem = (column: Column | undefined, message: string) =>
      rowProblems.push({
        row: row.number,
        ...(column ? { column: column.letter, label: column.label } : {}),
        message,
      });
    const cellOf = (kind: Column['kind']['kind']) => {
      const column = columns.find((c) => c.kind.kind === kind);
      return { column, value: column ? (row.cells[column.index] ?? '') : '' };
    };
    for (const column of columns) {
      const value = row.cells[column.index] ?? '';
      if (containsPersonalIdentityNumber(value)) {
        throw invalidInput(
          `Rad ${row.number}, kolumn ${column.letter} innehåller ett personnummer eller samordningsnummer. Sådana uppgifter får aldrig lämnas till boten. Ta bort dem och skicka listan igen. Inget har sparats.`,
        );
      }
      if (column.kind.kind === 'which' && value && containsPersonName(value)) {
        problem(
          column,
          'Texten ser ut att innehålla ett namn. Skriv bara vilken insats det gäller.',
        );
      }
    }
    const gender = GENDER_WORDS[foldForLookup(cellOf('gender').value)];
    if (!gender) problem(cellOf('gender').column, 'Skriv kvinna, man eller annat.');
    const consentWord = foldForLookup(cellOf('consent').value);
    const consent = YES.has(consentWord) ? true : NO.has(consentWord) ? false : undefined;
    if (consent === undefined) problem(cellOf('consent').column, 'Skriv ja eller nej.');
    const start = cellOf('startDate');
    if (!isValidLocalDate(start.value)) problem(start.column, `${DATE_HINT} Startdatum krävs.`);
    else if (start.value > today)
      problem(start.column, 'Startdatumet kan inte vara framåt i tiden.');
    else if (start.value < '2000-01-01') problem(start.column, 'Startdatumet är för tidigt.');
    const insatsCell = cellOf('insats');
    const insats = insatsCell.value
      ? findInsats(program, insatsCell.value)
      : program.insatser.length === 1
        ? program.insatser[0]
        : undefined;
    if (!insats) {
      problem(
        insatsCell.column,
        `Skriv en av insatserna: ${program.insatser.map((i) => i.name).join(', ')}.`,
      );
    }
    const birth = cellOf('birthYear');
    const birthYear = birth.value ? Number(birth.value) : undefined;
    if (birth.value && !/^\d{4}$/.test(birth.value))
      problem(birth.column, 'Skriv bara födelseåret med fyra siffror, t.ex. 1990.');
    const age = cellOf('ageGroup');
    const ageGroup = age.value ? AGE_WORDS[foldForLookup(age.value)] : undefined;
    if (age.value && !ageGroup) problem(age.column, 'Skriv under 30, 30–49 eller 50+.');
    const referralCell = cellOf('referral');
    const referral = referralCell.value
      ? REFERRAL_WORDS[foldForLookup(referralCell.value)]
      : undefined;
    if (referralCell.value && !referral) {
      problem(
        referralCell.column,
        'Skriv Försäkringskassan, Arbetsförmedlingen, Psykiatrin, Ekonomiskt bistånd eller Annan.',
      );
    }
    const kommunCell = cellOf('kommun');
    const kommun = kommunCell.value ? findKommun(program, kommunCell.value) : undefined;
    if (kommunCell.value && kommun?.lansdel.id !== lansdel.id) {
      problem(
        kommunCell.column,
        `Kommunen ska vara en av länsdel ${lansdel.name}: ${lansdel.kommuner.join(', ')}.`,
      );
    }
    const steps: EarlierStep[] = [];
    const whichCell = cellOf('which');
    const addStep = (column: Column | undefined, step: RecordableStep, on: string) => {
      if (!isValidLocalDate(on)) return problem(column, DATE_HINT);
      if (on > today) return problem(column, 'Datumet kan inte vara framåt i tiden.');
      if (isValidLocalDate(start.value) && on < start.value)
        return problem(column, 'Datumet är före startdatumet.');
      steps.push({
        step,
        on,
        ...(step === 'annanInsats'
          ? { which: (whichCell.value || 'ej angiven i listan').slice(0, 80) }
          : {}),
      });
    };
    for (const column of columns) {
      const value = row.cells[column.index] ?? '';
      if (column.kind.kind === 'step' && value) addStep(column, column.kind.step, value);
    }
    const outcome = cellOf('outcome');
    const outcomeOn = cellOf('outcomeDate');
    if (outcome.value) {
      const step = OUTCOME_WORDS[foldForLookup(outcome.value)];
      if (!step)
        problem(
          outcome.column,
          'Skriv arbete, subventionerat arbete, studier, annan insats, avbrott eller avslutad.',
        );
      else if (!outcomeOn.value)
        problem(outcomeOn.column ?? outcome.column, `Utfallet behöver ett datum. ${DATE_HINT}`);
      else addStep(outcomeOn.column, step, outcomeOn.value);
    } else if (outcomeOn.value) {
      problem(
        outcome.column ?? outcomeOn.column,
        'Det finns ett datum för utfallet men inget utfall.',
      );
    }
    let descriptors = {};
    if (rowProblems.length === 0 && consent) {
      try {
        descriptors = descriptorsOf(
          {
            ...(birthYear !== undefined ? { birthYear } : {}),
            ...(ageGroup ? { ageGroup } : {}),
            ...(kommun ? { kommun: kommun.kommun } : {}),
            ...(referral ? { referral } : {}),
          } as Enrolment,
          lansdel,
          Number(start.value.slice(0, 4)),
        );
      } catch (error) {
        if (!isAppError(error)) throw error;
        problem(undefined, error.userMessage ?? 'Åldern, kommunen eller remittenten stämmer inte.');
      }
    }
    if (rowProblems.length > 0 || !gender || consent === undefined || !insats) {
      problems.push(...rowProblems);
      refusedRows++;
      continue;
    }
    const enrolment = {
      lansdelId: lansdel.id,
      insatsId: insats.id,
      gender,
      consent,
      enrolledOn: start.value,
      responsibleOrganisationId: organisationOf(referral, kommun?.kommun),
      ...(consent ? descriptors : {}),
    };
    const canonical = JSON.stringify({ enrolment, steps });
    const occurrence = (seen.get(canonical) ?? 0) + 1;
    seen.set(canonical, occurrence);
    const requestId = `import-${createHash('sha256').update(`${canonical}#${occurrence}`).digest('hex').slice(0, 40)}`;
    ready.push({
      number: row.number,
      requestId,
      enrolment,
      steps,
      notKept: droppedWithoutConsent({
        consent,
        ...(birthYear !== undefined ? { birthYear } : {}),
        ...(ageGroup ? { ageGroup } : {}),
        ...(kommunCell.value ? { kommun: kommunCell.value } : {}),
        ...(referral ? { referral } : {}),
      }),
    });
  }
  return { lansdel, ready, problems, refusedRows };
}

export { columnLabel };

import type { LocalDate } from '../schedule/local-time.js';
import {
  AGE_GROUPS,
  GENDERS,
  type AgeGroup,
  type Gender,
  type Participant,
  type Step,
} from '../participants/participants.schema.js';
import { percentOf, percentShares } from './shares.js';

/** The half-year a lägesrapport covers: as of 30 June or 31 December. */
export interface ReportPeriod {
  readonly year: number;
  readonly half: 1 | 2;
}

export const periodEnd = (period: ReportPeriod): LocalDate =>
  `${period.year}-${period.half === 1 ? '06-30' : '12-31'}`;

/** The period that ended most recently on or before `today`. */
export function latestPeriod(today: LocalDate): ReportPeriod {
  const year = Number(today.slice(0, 4));
  if (today >= `${year}-12-31`) return { year, half: 2 };
  if (today >= `${year}-06-30`) return { year, half: 1 };
  return { year: year - 1, half: 2 };
}

/** Planned flow per länsdel: coaches × participants per coach and year. */
export interface FlowPlan {
  readonly coaches: number;
  readonly participantsPerCoach: number;
}

export type ReportParticipant = Pick<
  Participant,
  'gender' | 'consent' | 'ageGroup' | 'kommun' | 'enrolledOn' | 'steps'
>;

export const OUTCOMES = [
  'arbete',
  'studier',
  'annanInsats',
  'avbrott',
  'pagar',
  'avslutad',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type AgeRow = AgeGroup | 'ejRegistrerad';
export const AGE_ROWS: readonly AgeRow[] = [...AGE_GROUPS, 'ejRegistrerad'];
export const UNKNOWN_KOMMUN = '';

export interface Count {
  readonly count: number;
  /** Whole percent of the total; the shares of one split add up to 100. */
  readonly share: number;
}

export interface Lagesrapport {
  readonly period: ReportPeriod;
  readonly asOf: LocalDate;
  readonly total: number;
  readonly byGender: Record<Gender, Count>;
  /** Kommuner in the given order, then `UNKNOWN_KOMMUN` (no consent) when anyone lacks one. */
  readonly byKommun: readonly ({ kommun: string } & Count)[];
  readonly byAge: readonly ({ group: AgeRow; byGender: Record<Gender, number> } & Count)[];
  /**
   * The template's overlapping groups: 30–49 plus 50+, and 50+ alone. Their shares are the sums
   * of the bands' shares, so a group never shows two different percentages.
   */
  readonly thirtyAndOver: Count;
  readonly fiftyAndOver: Count;
  readonly outcomes: Record<Outcome, Count>;
  readonly flow: {
    readonly planned: number;
    readonly actual: number;
    /** Actual as whole percent of planned; undefined when nothing is planned. */
    readonly percent: number | undefined;
  };
}

const OUTCOME_OF: Partial<Record<Step, Outcome>> = {
  arbeteSubventionerad: 'arbete',
  arbeteOsubventionerad: 'arbete',
  studier: 'studier',
  annanInsats: 'annanInsats',
  avbrott: 'avbrott',
};

/**
 * A participant's outcome on a date: their latest outcome step (arbete, studier, annan insats,
 * avbrott) up to then; without one, `avslutad` if they ended, otherwise `pagar` (still in).
 */
export function outcomeOn(steps: ReportParticipant['steps'], asOf: LocalDate): Outcome {
  let outcome: Outcome = 'pagar';
  let ended = false;
  for (const { step, on } of steps) {
    if (on > asOf) continue;
    const mapped = OUTCOME_OF[step];
    if (mapped) outcome = mapped;
    ended = step === 'avslutad' || step === 'avbrott';
  }
  return outcome === 'pagar' && ended ? 'avslutad' : outcome;
}

const zeroByGender = (): Record<Gender, number> => ({ kvinna: 0, man: 0, annat: 0 });

function withShares<K extends string>(
  keys: readonly K[],
  counts: Record<K, number>,
): Record<K, Count> {
  const shares = percentShares(keys.map((k) => counts[k]));
  return Object.fromEntries(
    keys.map((k, i) => [k, { count: counts[k], share: shares[i]! }]),
  ) as Record<K, Count>;
}

/**
 * The half-yearly lägesrapport of one länsdel (or several, each with its plan), in one pass.
 * Counts everyone enrolled on or before the period's end ("since start"); the flow compares those
 * enrolled in the period's calendar year with the plan for that part of the year (half the yearly
 * plan as of 30 June, all of it as of 31 December).
 */
export function lagesrapport(
  participants: Iterable<ReportParticipant>,
  period: ReportPeriod,
  plans: readonly FlowPlan[],
  kommuner: readonly string[],
): Lagesrapport {
  const asOf = periodEnd(period);
  const yearStart = `${period.year}-01-01`;
  const gender = zeroByGender();
  const kommunCounts = new Map<string, number>(kommuner.map((k) => [k, 0]));
  const age = Object.fromEntries(AGE_ROWS.map((row) => [row, zeroByGender()])) as Record<
    AgeRow,
    Record<Gender, number>
  >;
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  let total = 0;
  let actual = 0;

  for (const p of participants) {
    if (p.enrolledOn > asOf) continue;
    total++;
    if (p.enrolledOn >= yearStart) actual++;
    gender[p.gender]++;
    const kommun = p.consent && p.kommun ? p.kommun : UNKNOWN_KOMMUN;
    kommunCounts.set(kommun, (kommunCounts.get(kommun) ?? 0) + 1);
    age[p.consent && p.ageGroup ? p.ageGroup : 'ejRegistrerad'][p.gender]++;
    outcomes[outcomeOn(p.steps, asOf)]++;
  }

  const kommunRows = [...kommunCounts.entries()].filter(
    ([kommun, count]) => kommun !== UNKNOWN_KOMMUN || count > 0,
  );
  const kommunShares = percentShares(kommunRows.map(([, count]) => count));
  const ageTotals = AGE_ROWS.map((row) => GENDERS.reduce((sum, g) => sum + age[row][g], 0));
  const ageShares = percentShares(ageTotals);
  const rowTotal = (row: AgeRow) => ageTotals[AGE_ROWS.indexOf(row)]!;
  const yearly = plans.reduce((sum, plan) => sum + plan.coaches * plan.participantsPerCoach, 0);
  const planned = period.half === 1 ? Math.round(yearly / 2) : yearly;

  return {
    period,
    asOf,
    total,
    byGender: withShares(GENDERS, gender),
    byKommun: kommunRows.map(([kommun, count], i) => ({ kommun, count, share: kommunShares[i]! })),
    byAge: AGE_ROWS.map((group, i) => ({
      group,
      byGender: age[group],
      count: ageTotals[i]!,
      share: ageShares[i]!,
    })),
    thirtyAndOver: {
      count: rowTotal('30-49') + rowTotal('50+'),
      share: ageShares[1]! + ageShares[2]!,
    },
    fiftyAndOver: { count: rowTotal('50+'), share: ageShares[2]! },
    outcomes: withShares(OUTCOMES, outcomes),
    flow: { planned, actual, percent: planned === 0 ? undefined : percentOf(actual, planned) },
  };
}

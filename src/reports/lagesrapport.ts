import type { LocalDate } from '../schedule/local-time.js';
import {
  GENDERS,
  type AgeGroup,
  type Gender,
  type Step,
} from '../participants/participants.schema.js';
import { tenthsOf } from './number-format.js';
import { halfYearOf, type HalfYear } from './report-period.js';

/**
 * What the lägesrapport needs of one participant: the header facts and the steps that decide
 * the outcome (see {@link outcomeSteps}), never the whole history.
 */
export interface ReportParticipant {
  readonly gender: Gender;
  readonly consent: boolean;
  readonly ageGroup?: AgeGroup | undefined;
  readonly kommun?: string | undefined;
  readonly enrolledOn: LocalDate;
  /** Outcome-relevant steps with dates, oldest first. */
  readonly outcomes: readonly { readonly step: Step; readonly on: LocalDate }[];
}

/** One länsdel's (or kommun's) plan: coaches × participants per coach and year × years, or a number. */
export interface FlowPlan {
  readonly coaches?: number | undefined;
  readonly participantsPerCoach: number;
  readonly planYears?: number | undefined;
  readonly plannedFlow?: number | undefined;
  readonly startDate: LocalDate;
}

export const OUTCOMES = [
  'arbete',
  'studier',
  'annanInsats',
  'avbrott',
  'pagar',
  'avslutad',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * The age rows: the template's three overlapping groups (under 30, 30 and over, 50 and over),
 * then the finer band 30–49 and the participants whose age is not registered (no consent).
 */
export const AGE_ROWS = ['under30', '30plus', '50plus', '30-49', 'ejRegistrerad'] as const;
export type AgeRow = (typeof AGE_ROWS)[number];
export const UNKNOWN_KOMMUN = '';

export interface Count {
  readonly count: number;
  /** Share of everyone enrolled since start, in tenths of a per cent (582 = 58,2 %). */
  readonly tenths: number;
}

export interface FlowLine {
  /** Coaches × participants per coach × planned years, or the configured planned flow. */
  readonly planned: number | undefined;
  /** The plan up to the cut-off (elapsed part of the planned years), where it can be told. */
  readonly plannedToDate: number | undefined;
  /** Everyone enrolled since the insats started, up to the cut-off. */
  readonly actual: number;
  readonly tenths: number | undefined;
  readonly tenthsToDate: number | undefined;
  readonly coaches: number | undefined;
  readonly participantsPerCoach: number | undefined;
  readonly planYears: number | undefined;
  readonly elapsedYears: number;
}

export interface Lagesrapport {
  readonly asOf: LocalDate;
  readonly halfYear: HalfYear;
  readonly total: number;
  readonly byGender: Record<Gender, Count>;
  /** Enrolled from the half-year's first day up to the cut-off. */
  readonly newInHalfYear: number;
  /** Kommuner in the given order with their plan, then `UNKNOWN_KOMMUN` (no consent) when anyone lacks one. */
  readonly byKommun: readonly ({ kommun: string; byGender: Record<Gender, number> } & Count)[];
  readonly byAge: readonly ({ group: AgeRow; byGender: Record<Gender, number> } & Count)[];
  readonly outcomes: Record<Outcome, Count>;
  /** Gone on to work, studies or another insats. */
  readonly goneOn: Count & { byGender: Record<Gender, number> };
  readonly flow: FlowLine;
}

const OUTCOME_OF: Partial<Record<Step, Outcome>> = {
  arbeteSubventionerad: 'arbete',
  arbeteOsubventionerad: 'arbete',
  studier: 'studier',
  annanInsats: 'annanInsats',
  avbrott: 'avbrott',
};
const ENDS: readonly Step[] = ['avslutad', 'avbrott'];

/**
 * A participant's outcome on a date: their latest outcome step (arbete, studier, annan insats,
 * avbrott) up to then; without one, `avslutad` if their latest step then ended the insats,
 * otherwise `pagar` (still in).
 */
export function outcomeOn(steps: ReportParticipant['outcomes'], asOf: LocalDate): Outcome {
  let outcome: Outcome = 'pagar';
  let ended = false;
  for (const { step, on } of steps) {
    if (on > asOf) continue;
    const mapped = OUTCOME_OF[step];
    if (mapped) outcome = mapped;
    ended = ENDS.includes(step);
  }
  return outcome === 'pagar' && ended ? 'avslutad' : outcome;
}

const zeroByGender = (): Record<Gender, number> => ({ kvinna: 0, man: 0, annat: 0 });
const sumOf = (byGender: Record<Gender, number>) => GENDERS.reduce((s, g) => s + byGender[g], 0);
const roundTenth = (value: number) => Math.round(value * 10) / 10;

/**
 * Calendar years from the first day through the last (both counted): whole anniversaries, then
 * the part of the year after the last one. 1 January to 31 December is exactly one year.
 */
export function yearsBetween(from: LocalDate, through: LocalDate): number {
  const end = Date.parse(`${through}T00:00:00Z`) + 86_400_000;
  const start = Date.parse(`${from}T00:00:00Z`);
  if (end <= start) return 0;
  const anniversary = (years: number) => {
    const d = new Date(start);
    d.setUTCFullYear(d.getUTCFullYear() + years);
    return d.getTime();
  };
  let whole = 0;
  while (anniversary(whole + 1) <= end) whole++;
  const from_ = anniversary(whole);
  return whole + (end - from_) / (anniversary(whole + 1) - from_);
}

/** Planned against actual flow since the insats started, summed over the scope's plans. */
export function flowLine(plans: readonly FlowPlan[], actual: number, asOf: LocalDate): FlowLine {
  let planned: number | undefined = 0;
  let toDate: number | undefined = 0;
  let coaches: number | undefined = 0;
  const perCoach = new Set(plans.map((p) => p.participantsPerCoach));
  const years = new Set(plans.map((p) => p.planYears));
  const starts = plans.map((p) => p.startDate).sort();
  for (const plan of plans) {
    const byCoaches =
      plan.coaches !== undefined && plan.planYears !== undefined
        ? plan.coaches * plan.participantsPerCoach * plan.planYears
        : undefined;
    const whole = plan.plannedFlow ?? byCoaches;
    planned = planned === undefined || whole === undefined ? undefined : planned + whole;
    const share =
      plan.planYears !== undefined
        ? Math.min(1, yearsBetween(plan.startDate, asOf) / plan.planYears)
        : undefined;
    toDate =
      toDate === undefined || whole === undefined || share === undefined
        ? undefined
        : toDate + whole * share;
    coaches =
      coaches === undefined || plan.coaches === undefined ? undefined : coaches + plan.coaches;
  }
  if (plans.length === 0) [planned, toDate, coaches] = [undefined, undefined, undefined];
  const plannedRounded = planned === undefined ? undefined : roundTenth(planned);
  const toDateRounded = toDate === undefined ? undefined : roundTenth(toDate);
  const percent = (of: number | undefined) =>
    of === undefined || of <= 0 ? undefined : Math.floor((actual * 2000 + of) / (2 * of));
  return {
    planned: plannedRounded,
    plannedToDate: toDateRounded,
    actual,
    tenths: percent(planned),
    tenthsToDate: percent(toDate),
    coaches: coaches === undefined ? undefined : roundTenth(coaches),
    participantsPerCoach: perCoach.size === 1 ? [...perCoach][0] : undefined,
    planYears: years.size === 1 ? [...years][0] : undefined,
    elapsedYears: starts[0] ? roundTenth(yearsBetween(starts[0], asOf)) : 0,
  };
}

/**
 * The lägesrapport of one scope (a länsdel, a kommun, or the whole förbund) as of any date, in
 * one pass: everyone enrolled on or before the cut-off counts ("since start"); every share is of
 * that total, with one decimal; the outcome is the latest outcome up to the cut-off.
 */
export function lagesrapport(
  participants: Iterable<ReportParticipant>,
  asOf: LocalDate,
  plans: readonly FlowPlan[],
  kommuner: readonly string[],
): Lagesrapport {
  const halfYear = halfYearOf(asOf);
  const gender = zeroByGender();
  const kommunCounts = new Map<string, Record<Gender, number>>(
    kommuner.map((k) => [k, zeroByGender()]),
  );
  const age = Object.fromEntries(AGE_ROWS.map((row) => [row, zeroByGender()])) as Record<
    AgeRow,
    Record<Gender, number>
  >;
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  const goneOn = zeroByGender();
  let total = 0;
  let newInHalfYear = 0;

  for (const p of participants) {
    if (p.enrolledOn > asOf) continue;
    total++;
    if (p.enrolledOn >= halfYear.start) newInHalfYear++;
    gender[p.gender]++;
    const kommun = p.consent && p.kommun ? p.kommun : UNKNOWN_KOMMUN;
    let row = kommunCounts.get(kommun);
    if (!row) kommunCounts.set(kommun, (row = zeroByGender()));
    row[p.gender]++;
    const band = p.consent ? p.ageGroup : undefined;
    if (band === 'under30') age.under30[p.gender]++;
    else if (band === '30-49') {
      age['30plus'][p.gender]++;
      age['30-49'][p.gender]++;
    } else if (band === '50+') {
      age['30plus'][p.gender]++;
      age['50plus'][p.gender]++;
    } else age.ejRegistrerad[p.gender]++;
    const outcome = outcomeOn(p.outcomes, asOf);
    outcomes[outcome]++;
    if (outcome === 'arbete' || outcome === 'studier' || outcome === 'annanInsats') {
      goneOn[p.gender]++;
    }
  }

  const count = (n: number): Count => ({ count: n, tenths: tenthsOf(n, total) });
  const kommunRows = [...kommunCounts.entries()]
    .filter(([kommun, byGender]) => kommun !== UNKNOWN_KOMMUN || sumOf(byGender) > 0)
    .sort(([a], [b]) => Number(a === UNKNOWN_KOMMUN) - Number(b === UNKNOWN_KOMMUN));
  return {
    asOf,
    halfYear,
    total,
    byGender: Object.fromEntries(GENDERS.map((g) => [g, count(gender[g])])) as Record<
      Gender,
      Count
    >,
    newInHalfYear,
    byKommun: kommunRows.map(([kommun, byGender]) => ({
      kommun,
      byGender,
      ...count(sumOf(byGender)),
    })),
    byAge: AGE_ROWS.map((group) => ({
      group,
      byGender: age[group],
      ...count(sumOf(age[group])),
    })),
    outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, count(outcomes[o])])) as Record<
      Outcome,
      Count
    >,
    goneOn: { ...count(sumOf(goneOn)), byGender: goneOn },
    flow: flowLine(plans, total, asOf),
  };
}

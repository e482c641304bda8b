import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/participants/participants.schema.js';
import {
  flowLine,
  lagesrapport,
  outcomeOn,
  type ReportParticipant,
} from '../../src/reports/lagesrapport.js';
import { outcomeSteps } from '../../src/participants/outcome-steps.js';
import { formatShare, tenthsOf } from '../../src/reports/number-format.js';
import { parseCutOff } from '../../src/reports/report-period.js';
import { defaultCutOff } from '../../src/reports/report.service.js';

type Steps = ReportParticipant['outcomes'];
const enrolled = (on: string, ...rest: Steps): Steps => [{ step: 'inskrivning', on }, ...rest];

/** Ten participants of Norra, built by hand; the expected numbers below are counted by hand. */
const norra: ReportParticipant[] = [
  // 1: woman, 24, Eskilstuna, in work before 30 June
  {
    gender: 'kvinna',
    consent: true,
    ageGroup: 'under30',
    kommun: 'Eskilstuna',
    enrolledOn: '2025-09-01',
    outcomes: enrolled(
      '2025-09-01',
      { step: 'kartlaggning', on: '2025-10-01' },
      { step: 'arbeteSubventionerad', on: '2026-03-01' },
    ),
  },
  // 2: woman, 35, Strängnäs, studier then avslutad: outcome studier
  {
    gender: 'kvinna',
    consent: true,
    ageGroup: '30-49',
    kommun: 'Strängnäs',
    enrolledOn: '2026-01-15',
    outcomes: enrolled(
      '2026-01-15',
      { step: 'studier', on: '2026-04-01' },
      { step: 'avslutad', on: '2026-06-01' },
    ),
  },
  // 3: man, 55, Eskilstuna, avbrott
  {
    gender: 'man',
    consent: true,
    ageGroup: '50+',
    kommun: 'Eskilstuna',
    enrolledOn: '2026-02-01',
    outcomes: enrolled('2026-02-01', { step: 'avbrott', on: '2026-05-10' }),
  },
  // 4: man, no consent, still in
  {
    gender: 'man',
    consent: false,
    enrolledOn: '2026-03-01',
    outcomes: enrolled('2026-03-01', { step: 'arbetstraning', on: '2026-04-01' }),
  },
  // 5: annat, 29, Eskilstuna, annan insats
  {
    gender: 'annat',
    consent: true,
    ageGroup: 'under30',
    kommun: 'Eskilstuna',
    enrolledOn: '2026-04-01',
    outcomes: enrolled('2026-04-01', { step: 'annanInsats', on: '2026-06-30' }),
  },
  // 6: woman, 51, Strängnäs, arbete only after 30 June: still in as of 30 June
  {
    gender: 'kvinna',
    consent: true,
    ageGroup: '50+',
    kommun: 'Strängnäs',
    enrolledOn: '2026-05-01',
    outcomes: enrolled('2026-05-01', { step: 'arbeteOsubventionerad', on: '2026-07-01' }),
  },
  // 7: woman, no consent, avslutad without an outcome
  {
    gender: 'kvinna',
    consent: false,
    enrolledOn: '2024-11-01',
    outcomes: enrolled('2024-11-01', { step: 'avslutad', on: '2025-02-01' }),
  },
  // 8: man, 40, Eskilstuna, arbete then avbrott: the latest outcome counts
  {
    gender: 'man',
    consent: true,
    ageGroup: '30-49',
    kommun: 'Eskilstuna',
    enrolledOn: '2025-03-01',
    outcomes: enrolled(
      '2025-03-01',
      { step: 'arbeteOsubventionerad', on: '2025-08-01' },
      { step: 'avbrott', on: '2026-01-10' },
    ),
  },
  // 9: enrolled after 30 June: not in the report
  {
    gender: 'kvinna',
    consent: true,
    ageGroup: 'under30',
    kommun: 'Eskilstuna',
    enrolledOn: '2026-07-02',
    outcomes: enrolled('2026-07-02'),
  },
  // 10: woman, 45, Eskilstuna, enrolled on the period's last day
  {
    gender: 'kvinna',
    consent: true,
    ageGroup: '30-49',
    kommun: 'Eskilstuna',
    enrolledOn: '2026-06-30',
    outcomes: enrolled('2026-06-30'),
  },
];

/** Norra's plan: 4,5 + 2 coaches, about 20 participants per coach and year, three years from 2025. */
const plan = [{ coaches: 6.5, participantsPerCoach: 20, planYears: 3, startDate: '2025-01-01' }];
const report = lagesrapport(norra, '2026-06-30', plan, ['Eskilstuna', 'Strängnäs']);
const byGender = (kvinna: number, man: number, annat: number) => ({ kvinna, man, annat });

describe('the lägesrapport as of 30 June', () => {
  it('when participants were enrolled before and after the cut-off, then only those up to it count', () => {
    expect(report.asOf).toBe('2026-06-30');
    expect(report.total).toBe(9);
    expect(report.halfYear).toEqual({ start: '2026-01-01', end: '2026-06-30' });
    // Enrolled 2026-01-01..2026-06-30: participants 2, 3, 4, 5, 6, 10.
    expect(report.newInHalfYear).toBe(6);
  });

  it('when counted by gender, then each share is of the total with one decimal, rounded half up', () => {
    expect(report.byGender).toEqual({
      kvinna: { count: 5, tenths: 556 },
      man: { count: 3, tenths: 333 },
      annat: { count: 1, tenths: 111 },
    });
  });

  it('when counted per kommun, then each kommun has its gender split and those without consent are their own row', () => {
    expect(report.byKommun).toEqual([
      { kommun: 'Eskilstuna', byGender: byGender(2, 2, 1), count: 5, tenths: 556 },
      { kommun: 'Strängnäs', byGender: byGender(2, 0, 0), count: 2, tenths: 222 },
      { kommun: '', byGender: byGender(1, 1, 0), count: 2, tenths: 222 },
    ]);
  });

  it('when crossed by age and gender, then the template groups overlap (30 and over holds 50 and over) and the finer band follows', () => {
    expect(report.byAge).toEqual([
      { group: 'under30', byGender: byGender(1, 0, 1), count: 2, tenths: 222 },
      { group: '30plus', byGender: byGender(3, 2, 0), count: 5, tenths: 556 },
      { group: '50plus', byGender: byGender(1, 1, 0), count: 2, tenths: 222 },
      { group: '30-49', byGender: byGender(2, 1, 0), count: 3, tenths: 333 },
      { group: 'ejRegistrerad', byGender: byGender(1, 1, 0), count: 2, tenths: 222 },
    ]);
  });

  it('when outcomes are counted, then the latest outcome up to the cut-off decides and gone-on sums work, studies and another insats', () => {
    expect(report.outcomes).toEqual({
      arbete: { count: 1, tenths: 111 },
      studier: { count: 1, tenths: 111 },
      annanInsats: { count: 1, tenths: 111 },
      avbrott: { count: 2, tenths: 222 },
      pagar: { count: 3, tenths: 333 },
      avslutad: { count: 1, tenths: 111 },
    });
    expect(report.goneOn).toEqual({ count: 3, tenths: 333, byGender: byGender(2, 0, 1) });
  });

  it('when the flow is compared, then everyone since start is set against coaches × participants per coach × planned years', () => {
    expect(report.flow).toMatchObject({
      planned: 390,
      actual: 9,
      tenths: 23,
      coaches: 6.5,
      participantsPerCoach: 20,
      planYears: 3,
    });
    // One year and 181 of 365 days have passed: 390 × (1 + 181/365) / 3 = 194.47 planned so far.
    const soFar = (390 * (1 + 181 / 365)) / 3;
    expect(report.flow.plannedToDate).toBe(Math.round(soFar * 10) / 10);
    expect(report.flow.tenthsToDate).toBe(Math.round((9 / soFar) * 1000));
    expect(report.flow.elapsedYears).toBe(1.5);
  });

  it('when the cut-off is any other date, then it is that day that counts, steps after it do not', () => {
    const spring = lagesrapport(norra, '2026-03-15', plan, ['Eskilstuna', 'Strängnäs']);
    // Enrolled by 15 March: 1, 2, 3, 4, 7, 8.
    expect(spring.total).toBe(6);
    expect(spring.outcomes.arbete.count).toBe(1);
    expect(spring.outcomes.avbrott.count).toBe(1);
    const later = lagesrapport(norra, '2026-12-31', plan, ['Eskilstuna', 'Strängnäs']);
    expect(later.total).toBe(10);
    expect(later.outcomes.arbete.count).toBe(2);
    expect(later.halfYear).toEqual({ start: '2026-07-01', end: '2026-12-31' });
  });

  it('when nothing is planned or no one enrolled, then shares are zero and the percent is absent', () => {
    const empty = lagesrapport([], '2026-06-30', [], ['Flen']);
    expect(empty.total).toBe(0);
    expect(empty.byGender.kvinna).toEqual({ count: 0, tenths: 0 });
    expect(empty.byKommun).toEqual([
      { kommun: 'Flen', byGender: byGender(0, 0, 0), count: 0, tenths: 0 },
    ]);
    expect(empty.flow.planned).toBeUndefined();
    expect(empty.flow.tenths).toBeUndefined();
  });
});

describe('the flow against the plan', () => {
  it('when a planned flow is given as a number, then it is the plan, and with planned years the plan so far is told too', () => {
    const line = flowLine(
      [{ participantsPerCoach: 20, plannedFlow: 300, planYears: 2, startDate: '2026-01-01' }],
      75,
      '2026-12-31',
    );
    expect(line.planned).toBe(300);
    expect(line.tenths).toBe(250);
    expect(line.plannedToDate).toBe(150);
    expect(line.tenthsToDate).toBe(500);
  });

  it('when the planned years are over, then the plan so far is the whole plan', () => {
    const line = flowLine(
      [{ coaches: 2.5, participantsPerCoach: 18, planYears: 1, startDate: '2024-01-01' }],
      40,
      '2026-06-30',
    );
    expect(line.planned).toBe(45);
    expect(line.plannedToDate).toBe(45);
    expect(line.tenths).toBe(889);
  });

  it('when two länsdelar are summed, then their plans add up and a missing plan makes the sum unknown', () => {
    const both = flowLine(
      [
        { coaches: 4.5, participantsPerCoach: 20, planYears: 3, startDate: '2025-01-01' },
        { coaches: 2, participantsPerCoach: 20, planYears: 3, startDate: '2025-01-01' },
      ],
      100,
      '2027-12-31',
    );
    expect(both.planned).toBe(390);
    expect(both.coaches).toBe(6.5);
    const unknown = flowLine(
      [
        { coaches: 2, participantsPerCoach: 20, planYears: 3, startDate: '2025-01-01' },
        { participantsPerCoach: 20, startDate: '2025-01-01' },
      ],
      100,
      '2026-06-30',
    );
    expect(unknown.planned).toBeUndefined();
  });
});

describe('shares, outcomes and cut-offs', () => {
  it('when shares are rounded, then it is half up to one decimal, with integers only', () => {
    expect(tenthsOf(71, 122)).toBe(582);
    expect(tenthsOf(1, 8)).toBe(125);
    expect(tenthsOf(1, 16)).toBe(63);
    expect(tenthsOf(1, 3)).toBe(333);
    expect(tenthsOf(2, 3)).toBe(667);
    expect(tenthsOf(5, 0)).toBe(0);
    expect(formatShare(582)).toBe('58,2\u00a0%');
    expect(formatShare(1000)).toBe('100,0\u00a0%');
    expect(formatShare(12345)).toBe('1\u00a0234,5\u00a0%');
  });

  it('when a participant went to work and later ended, then the outcome stays arbete', () => {
    expect(
      outcomeOn(
        enrolled(
          '2026-01-01',
          { step: 'arbeteSubventionerad', on: '2026-02-01' },
          { step: 'avslutad', on: '2026-03-01' },
        ),
        '2026-06-30',
      ),
    ).toBe('arbete');
  });

  it('when only the outcome steps are kept, then the outcome on every date is the same as from the whole history', () => {
    const steps: Step[] = [
      'kartlaggning',
      'motiverande',
      'arbetstraning',
      'studier',
      'arbeteSubventionerad',
      'arbeteOsubventionerad',
      'annanInsats',
      'avbrott',
      'avslutad',
    ];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ step: fc.constantFrom(...steps), day: fc.integer({ min: 1, max: 300 }) }),
          {
            maxLength: 12,
          },
        ),
        fc.integer({ min: 0, max: 320 }),
        (raw, cut) => {
          const date = (day: number) => new Date(Date.UTC(2026, 0, day)).toISOString().slice(0, 10);
          const history = enrolled(
            '2026-01-01',
            ...raw.sort((a, b) => a.day - b.day).map((s) => ({ step: s.step, on: date(s.day) })),
          );
          const rows = history.map((s, seq) => ({ ...s, seq, kind: 'step' as const }));
          expect(outcomeOn(outcomeSteps(rows), date(cut))).toBe(outcomeOn(history, date(cut)));
        },
      ),
    );
  });

  it('when cut-offs are written in different ways, then any real date and the half-year words are read, and date-like mistakes are told apart', () => {
    expect(parseCutOff('2026-03-15')).toEqual({ kind: 'date', date: '2026-03-15' });
    for (const word of ['2026-06-30', '2026-06', '2026h1', '2026:1', '2026H1']) {
      expect(parseCutOff(word)).toEqual({ kind: 'date', date: '2026-06-30' });
    }
    for (const word of ['2026-12-31', '2026-12', '2026h2', '2026:2']) {
      expect(parseCutOff(word)).toEqual({ kind: 'date', date: '2026-12-31' });
    }
    for (const word of [
      '2025-13-01',
      '2026-02-30',
      '2026-6-31',
      '30/6',
      '2026.06.30',
      '20260631',
    ]) {
      expect(parseCutOff(word)).toEqual({ kind: 'bad-date' });
    }
    expect(parseCutOff('Norra')).toEqual({ kind: 'none' });
    expect(parseCutOff('Eskilstuna')).toEqual({ kind: 'none' });
  });

  it('when no date is given, then the half-year to date is used when anything happened in it, else the latest half-year with data', () => {
    expect(defaultCutOff(norra, '2026-12-01')).toEqual({
      asOf: '2026-12-01',
      basis: 'halfYearToDate',
    });
    const quietAutumn = norra.filter(
      (p) => p.enrolledOn < '2026-07-01' && !p.outcomes.some((s) => s.on >= '2026-07-01'),
    );
    expect(defaultCutOff(quietAutumn, '2026-12-01')).toEqual({
      asOf: '2026-06-30',
      basis: 'latestWithData',
    });
    expect(defaultCutOff([], '2026-12-01')).toEqual({ asOf: '2026-12-01', basis: 'noData' });
  });
});

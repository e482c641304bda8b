import { describe, expect, it } from 'vitest';
import {
  lagesrapport,
  latestPeriod,
  outcomeOn,
  type ReportParticipant,
} from '../../src/reports/lagesrapport.js';
import { reportCsv } from '../../src/reports/report-csv.js';
import { parsePeriod } from '../../src/reports/report-period.js';
import { percentShares } from '../../src/reports/shares.js';

type Steps = ReportParticipant['steps'];
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
    steps: enrolled(
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
    steps: enrolled(
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
    steps: enrolled('2026-02-01', { step: 'avbrott', on: '2026-05-10' }),
  },
  // 4: man, no consent, still in
  {
    gender: 'man',
    consent: false,
    enrolledOn: '2026-03-01',
    steps: enrolled('2026-03-01', { step: 'arbetstraning', on: '2026-04-01' }),
  },
  // 5: annat, 29, Eskilstuna, annan insats
  {
    gender: 'annat',
    consent: true,
    ageGroup: 'under30',
    kommun: 'Eskilstuna',
    enrolledOn: '2026-04-01',
    steps: enrolled('2026-04-01', { step: 'annanInsats', on: '2026-06-30' }),
  },
  // 6: woman, 51, Strängnäs, arbete only after 30 June: still in as of 30 June
  {
    gender: 'kvinna',
    consent: true,
    ageGroup: '50+',
    kommun: 'Strängnäs',
    enrolledOn: '2026-05-01',
    steps: enrolled('2026-05-01', { step: 'arbeteOsubventionerad', on: '2026-07-01' }),
  },
  // 7: woman, no consent, avslutad without an outcome
  {
    gender: 'kvinna',
    consent: false,
    enrolledOn: '2024-11-01',
    steps: enrolled('2024-11-01', { step: 'avslutad', on: '2025-02-01' }),
  },
  // 8: man, 40, Eskilstuna, arbete then avbrott: the latest outcome counts
  {
    gender: 'man',
    consent: true,
    ageGroup: '30-49',
    kommun: 'Eskilstuna',
    enrolledOn: '2025-03-01',
    steps: enrolled(
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
    steps: enrolled('2026-07-02'),
  },
  // 10: woman, 45, Eskilstuna, enrolled on the period's last day
  {
    gender: 'kvinna',
    consent: true,
    ageGroup: '30-49',
    kommun: 'Eskilstuna',
    enrolledOn: '2026-06-30',
    steps: enrolled('2026-06-30'),
  },
];

const plan = [{ coaches: 2, participantsPerCoach: 20 }];
const report = lagesrapport(norra, { year: 2026, half: 1 }, plan, ['Eskilstuna', 'Strängnäs']);

describe('the lägesrapport as of 30 June', () => {
  it('when participants were enrolled before and after the period end, then only those up to 30 June count', () => {
    expect(report.asOf).toBe('2026-06-30');
    expect(report.total).toBe(9);
  });

  it('when counted by gender, then the counts and whole-percent shares add up to the total and 100', () => {
    expect(report.byGender).toEqual({
      kvinna: { count: 5, share: 56 },
      man: { count: 3, share: 33 },
      annat: { count: 1, share: 11 },
    });
  });

  it('when counted per kommun, then participants without consent are their own row', () => {
    expect(report.byKommun).toEqual([
      { kommun: 'Eskilstuna', count: 5, share: 56 },
      { kommun: 'Strängnäs', count: 2, share: 22 },
      { kommun: '', count: 2, share: 22 },
    ]);
  });

  it('when crossed by age group and gender, then the disjoint bands add up and the overlapping template groups are sums', () => {
    expect(report.byAge).toEqual([
      { group: 'under30', byGender: { kvinna: 1, man: 0, annat: 1 }, count: 2, share: 22 },
      { group: '30-49', byGender: { kvinna: 2, man: 1, annat: 0 }, count: 3, share: 34 },
      { group: '50+', byGender: { kvinna: 1, man: 1, annat: 0 }, count: 2, share: 22 },
      { group: 'ejRegistrerad', byGender: { kvinna: 1, man: 1, annat: 0 }, count: 2, share: 22 },
    ]);
    expect(report.thirtyAndOver).toEqual({ count: 5, share: 56 });
    expect(report.fiftyAndOver).toEqual({ count: 2, share: 22 });
  });

  it('when outcomes are counted, then the latest outcome step up to 30 June decides and every participant is counted once', () => {
    expect(report.outcomes).toEqual({
      arbete: { count: 1, share: 11 },
      studier: { count: 1, share: 11 },
      annanInsats: { count: 1, share: 11 },
      avbrott: { count: 2, share: 22 },
      pagar: { count: 3, share: 34 },
      avslutad: { count: 1, share: 11 },
    });
  });

  it('when the flow is compared, then this year’s enrolments are set against half the yearly plan', () => {
    // Enrolled 2026-01-01..2026-06-30: participants 2, 3, 4, 5, 6, 10.
    expect(report.flow).toEqual({ planned: 20, actual: 6, percent: 30 });
  });

  it('when the period is 31 December, then the whole yearly plan counts and later steps are included', () => {
    const yearEnd = lagesrapport(norra, { year: 2026, half: 2 }, plan, ['Eskilstuna', 'Strängnäs']);
    expect(yearEnd.total).toBe(10);
    expect(yearEnd.flow).toEqual({ planned: 40, actual: 7, percent: 18 });
    expect(yearEnd.outcomes.arbete.count).toBe(2);
  });

  it('when nothing is planned or no one enrolled, then shares are zero and the percent is absent', () => {
    const empty = lagesrapport(
      [],
      { year: 2026, half: 1 },
      [{ coaches: 0, participantsPerCoach: 20 }],
      ['Flen'],
    );
    expect(empty.total).toBe(0);
    expect(empty.byGender.kvinna).toEqual({ count: 0, share: 0 });
    expect(empty.byKommun).toEqual([{ kommun: 'Flen', count: 0, share: 0 }]);
    expect(empty.flow.percent).toBeUndefined();
  });

  it('when exported as CSV, then every number of the card is there, semicolon-separated', () => {
    const csv = reportCsv(report, 'Norra').split('\n');
    expect(csv[0]).toBe('# Lägesrapport Norra per 2026-06-30');
    expect(csv).toContain('inskrivna;Norra;5;3;1;9;100');
    expect(csv).toContain('kommun;Kommun ej registrerad (utan samtycke);;;;2;22');
    expect(csv).toContain('alder;30–49 år;2;1;0;3;34');
    expect(csv).toContain('alder;30 år och äldre (30–49 + 50+);;;;5;56');
    expect(csv).toContain('utfall;Avbrott;;;;2;22');
    expect(csv).toContain('flode;faktiskt 2026;;;;6;30');
  });
});

describe('shares and periods', () => {
  it('when shares are rounded, then they always add up to 100 with the largest remainders rounded up', () => {
    expect(percentShares([1, 1, 1])).toEqual([34, 33, 33]);
    expect(percentShares([5, 3, 1])).toEqual([56, 33, 11]);
    expect(percentShares([0, 0])).toEqual([0, 0]);
    for (const counts of [
      [7, 13, 29, 51],
      [1, 2, 3, 4, 5, 6],
      [999, 1],
    ]) {
      expect(percentShares(counts).reduce((a, b) => a + b, 0)).toBe(100);
    }
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

  it('when periods are written in different ways, then they are read as 30 June or 31 December', () => {
    for (const word of ['2026-06-30', '2026-06', '2026h1', '2026:1', '2026H1']) {
      expect(parsePeriod(word)).toEqual({ year: 2026, half: 1 });
    }
    for (const word of ['2026-12-31', '2026-12', '2026h2', '2026:2']) {
      expect(parsePeriod(word)).toEqual({ year: 2026, half: 2 });
    }
    expect(parsePeriod('2026-05')).toBeUndefined();
    expect(parsePeriod('Norra')).toBeUndefined();
  });

  it('when no period is given, then the latest ended half-year is used', () => {
    expect(latestPeriod('2026-11-23')).toEqual({ year: 2026, half: 1 });
    expect(latestPeriod('2026-06-30')).toEqual({ year: 2026, half: 1 });
    expect(latestPeriod('2027-03-01')).toEqual({ year: 2026, half: 2 });
    expect(latestPeriod('2026-12-31')).toEqual({ year: 2026, half: 2 });
  });
});

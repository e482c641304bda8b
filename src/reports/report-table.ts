import { GENDERS, type Gender } from '../participants/participants.schema.js';
import { AGE_ROWS, OUTCOMES, UNKNOWN_KOMMUN, type FlowLine } from './lagesrapport.js';
import {
  ageRowLabels,
  genderLabels,
  GONE_ON_LABEL,
  outcomeLabels,
  UNKNOWN_KOMMUN_LABEL,
} from './report-labels.js';
import type { BuiltReport } from './report.service.js';

/** One line of the lägesrapport's numbers, as the CSV and the Excel file carry them. */
export interface ReportLine {
  readonly section: string;
  readonly group: string;
  readonly byGender?: Record<Gender, number>;
  readonly total?: number;
  /** Share of everyone enrolled since start (or, for the flow, of the plan) in tenths of a per cent. */
  readonly tenths?: number;
}

export const REPORT_COLUMNS = [
  'avsnitt',
  'grupp',
  'kvinnor',
  'män',
  'annat',
  'totalt',
  'andel (%)',
];

const flowLines = (section: string, flow: FlowLine): ReportLine[] => [
  ...(flow.planned === undefined
    ? []
    : [{ section, group: 'Planerat flöde', total: flow.planned }]),
  {
    section,
    group: 'Utfall sedan start',
    total: flow.actual,
    ...(flow.tenths === undefined ? {} : { tenths: flow.tenths }),
  },
  ...(flow.plannedToDate === undefined
    ? []
    : [
        { section, group: 'Planerat flöde hittills', total: flow.plannedToDate },
        {
          section,
          group: 'Utfall mot planerat hittills',
          total: flow.actual,
          ...(flow.tenthsToDate === undefined ? {} : { tenths: flow.tenthsToDate }),
        },
      ]),
];

/** Every number of the report, one line each, in the order of the report template. */
export function reportLines(built: BuiltReport): ReportLine[] {
  const { report } = built;
  const byGender = Object.fromEntries(GENDERS.map((g) => [g, report.byGender[g].count])) as Record<
    Gender,
    number
  >;
  return [
    { section: 'rapport', group: `Urval: ${built.name}` },
    { section: 'rapport', group: `Insats: ${built.insatsName}` },
    { section: 'rapport', group: `Per datum: ${report.asOf}` },
    {
      section: 'inskrivna sedan start',
      group: 'Totalt',
      byGender,
      total: report.total,
      tenths: 1000,
    },
    ...GENDERS.map((g) => ({
      section: 'kön',
      group: genderLabels[g],
      total: report.byGender[g].count,
      tenths: report.byGender[g].tenths,
    })),
    {
      section: 'nya under halvåret',
      group: `${report.halfYear.start} – ${report.asOf}`,
      total: report.newInHalfYear,
    },
    ...report.byKommun.map((k) => ({
      section: 'kommun',
      group: k.kommun === UNKNOWN_KOMMUN ? UNKNOWN_KOMMUN_LABEL : k.kommun,
      byGender: k.byGender,
      total: k.count,
      tenths: k.tenths,
    })),
    ...AGE_ROWS.map((group) => {
      const row = report.byAge.find((a) => a.group === group)!;
      return {
        section: 'ålder',
        group: ageRowLabels[group],
        byGender: row.byGender,
        total: row.count,
        tenths: row.tenths,
      };
    }),
    ...OUTCOMES.map((o) => ({
      section: 'utfall',
      group: outcomeLabels[o],
      total: report.outcomes[o].count,
      tenths: report.outcomes[o].tenths,
    })),
    {
      section: 'gått vidare',
      group: GONE_ON_LABEL,
      byGender: report.goneOn.byGender,
      total: report.goneOn.count,
      tenths: report.goneOn.tenths,
    },
    ...flowLines('flöde', report.flow),
    ...built.kommunFlows.flatMap((k) => flowLines(`flöde ${k.kommun}`, k.flow)),
  ];
}

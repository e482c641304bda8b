import { newId } from '../ids.js';
import { GENDERS } from '../participants/participants.schema.js';
import { OUTCOMES, UNKNOWN_KOMMUN, type Count, type Lagesrapport } from './lagesrapport.js';
import { formatNumber, formatShare } from './number-format.js';
import {
  ageRowLabels,
  ageRowShortLabels,
  GONE_ON_LABEL,
  outcomeLabels,
  UNKNOWN_KOMMUN_LABEL,
} from './report-labels.js';
import { cutOffText, flowSentence, flowToDateSentence } from './report-text.js';
import type { BuiltReport } from './report.service.js';

/** Distinct chart colours (Teams' categorical palette), in the order series are shown. */
const COLOURS = [
  'categoricalBlue',
  'categoricalMarigold',
  'categoricalTeal',
  'categoricalPurple',
  'categoricalRed',
  'categoricalLime',
  'categoricalLightBlue',
  'categoricalLavender',
] as const;
const colour = (index: number) => COLOURS[index % COLOURS.length]!;

const GENDER_SHORT = { kvinna: 'Kvinnor', man: 'Män', annat: 'Annat' } as const;
const OUTCOME_SHORT = {
  arbete: 'Arbete',
  studier: 'Studier',
  annanInsats: 'Annan insats',
  avbrott: 'Avbrott',
  pagar: 'Pågår',
  avslutad: 'Avslutad',
} as const;

const shareRow = (label: string, count: Count) => ({
  label,
  count: formatNumber(count.count),
  share: formatShare(count.tenths),
});

const TEMPLATE_AGES = ['under30', '30plus', '50plus'] as const;
const FINER_AGES = ['30-49', 'ejRegistrerad'] as const;

const ageRow = (report: Lagesrapport, group: (typeof report.byAge)[number]['group']) => {
  const row = report.byAge.find((a) => a.group === group)!;
  return {
    label: ageRowLabels[group],
    kvinna: formatNumber(row.byGender.kvinna),
    man: formatNumber(row.byGender.man),
    annat: formatNumber(row.byGender.annat),
    count: formatNumber(row.count),
    share: formatShare(row.tenths),
  };
};

/**
 * The lägesrapport card: the template's key numbers and the age table within one screen, the
 * splits per kommun and outcome behind "Visa mer". Charts have no axes (bar values shown), so
 * no fractional people; every chart has its table beside it.
 */
export function reportView(
  built: BuiltReport,
  notice: { text: string; isError: boolean } = { text: '', isError: false },
) {
  const { report } = built;
  const kommunLabel = (kommun: string) =>
    kommun === UNKNOWN_KOMMUN ? UNKNOWN_KOMMUN_LABEL : kommun;
  const kommunFlow = new Map(built.kommunFlows.map((k) => [k.kommun, k.flow]));
  const goneOn = report.goneOn;
  return {
    title: `Lägesrapport · ${built.name}`,
    subtitle: built.insatsName,
    cutOff: cutOffText(built),
    notice: notice.text,
    noticeIsError: notice.isError,
    scope: built.key,
    asOf: report.asOf,
    /** Names a click on the file buttons, so a re-delivered click offers no second file. */
    requestId: newId(),
    facts: [
      {
        title: 'Inskrivna sedan start',
        value: `${formatNumber(report.total)} (${GENDERS.map((g) => `${formatNumber(report.byGender[g].count)} ${GENDER_SHORT[g].toLowerCase()}`).join(', ')})`,
      },
      { title: 'Nya under halvåret', value: formatNumber(report.newInHalfYear) },
      {
        title: 'Gått vidare',
        value: `${formatNumber(goneOn.count)} (${formatShare(goneOn.tenths)}) till arbete, studier eller annan insats`,
      },
      {
        title: 'Planerat flöde',
        value:
          report.flow.planned === undefined
            ? 'inte angivet'
            : `${formatNumber(report.flow.planned)}, utfall ${formatNumber(report.flow.actual)}${report.flow.tenths === undefined ? '' : ` (${formatShare(report.flow.tenths)})`}`,
      },
    ],
    gender: GENDERS.map((g, i) => ({
      ...shareRow(GENDER_SHORT[g], report.byGender[g]),
      value: report.byGender[g].count,
      colour: colour(i),
    })),
    genderSummary: GENDERS.map((g) => `${GENDER_SHORT[g]} ${report.byGender[g].count}`).join(', '),
    ages: TEMPLATE_AGES.map((group) => ageRow(report, group)),
    finerAges: FINER_AGES.map((group) => ageRow(report, group)),
    ageChart: TEMPLATE_AGES.map((group, i) => ({
      x: ageRowShortLabels[group],
      y: report.byAge.find((a) => a.group === group)!.count,
      colour: colour(i),
    })),
    kommuner: report.byKommun.map((k, i) => {
      const flow = kommunFlow.get(k.kommun);
      return {
        ...shareRow(kommunLabel(k.kommun), k),
        x: k.kommun === UNKNOWN_KOMMUN ? 'Ej reg.' : k.kommun,
        y: k.count,
        colour: colour(i),
        plan:
          flow?.planned === undefined
            ? ''
            : `${formatNumber(flow.coaches ?? 0)} coacher, planerat ${formatNumber(flow.planned)}${flow.tenths === undefined ? '' : `, utfall ${formatShare(flow.tenths)}`}`,
      };
    }),
    kommunSummary: report.byKommun.map((k) => `${kommunLabel(k.kommun)} ${k.count}`).join(', '),
    outcomes: OUTCOMES.map((o, i) => ({
      ...shareRow(outcomeLabels[o], report.outcomes[o]),
      x: OUTCOME_SHORT[o],
      y: report.outcomes[o].count,
      colour: colour(i),
    })),
    outcomeSummary: OUTCOMES.map((o) => `${OUTCOME_SHORT[o]} ${report.outcomes[o].count}`).join(
      ', ',
    ),
    goneOn: shareRow(GONE_ON_LABEL, goneOn),
    flowText: flowSentence(report.flow),
    flowToDate: flowToDateSentence(report.flow),
    shareNote:
      'Andelarna är av alla inskrivna sedan start, med en decimal. Åldersgrupperna överlappar som i rapportmallen (30 år och äldre omfattar 50 år och äldre). Åldern gäller året för inskrivningen.',
  };
}

export type ReportView = ReturnType<typeof reportView>;

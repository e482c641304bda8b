import { GENDERS } from '../participants/participants.schema.js';
import { ageLabels, genderLabels, outcomeLabels } from '../participants/participant-labels.js';
import { OUTCOMES, UNKNOWN_KOMMUN, type Count, type Lagesrapport } from './lagesrapport.js';
import { periodKey, periodLabel } from './report-period.js';

export const UNKNOWN_KOMMUN_LABEL = 'Kommun ej registrerad (utan samtycke)';

const shareText = (count: Count) => `${count.share} %`;
const row = (label: string, count: Count) => ({
  label,
  count: count.count,
  shareText: shareText(count),
});

/** What the flow line says, e.g. "38 av 40 planerade (95 %)". */
export function flowText(report: Lagesrapport): string {
  const { planned, actual, percent } = report.flow;
  return percent === undefined
    ? `${actual} inskrivna, inget planerat flöde angivet`
    : `${actual} av ${planned} planerade (${percent} %)`;
}

/** The lägesrapport card: charts with table fallbacks, and the tables themselves. */
export function reportView(
  report: Lagesrapport,
  scope: { id: string; name: string },
  notice: { text: string; isError: boolean } = { text: '', isError: false },
) {
  const percent = report.flow.percent ?? 0;
  const gaugeMax = Math.max(100, percent);
  return {
    title: `Lägesrapport · ${scope.name}`,
    subtitle: `Per ${periodLabel(report.period)} · inskrivna sedan start`,
    notice: notice.text,
    noticeIsError: notice.isError,
    lansdel: scope.id,
    period: periodKey(report.period),
    total: String(report.total),
    gender: GENDERS.map((g) => row(genderLabels[g], report.byGender[g])),
    kommuner: report.byKommun.map((k) =>
      row(k.kommun === UNKNOWN_KOMMUN ? UNKNOWN_KOMMUN_LABEL : k.kommun, k),
    ),
    ages: report.byAge.map((a) => ({
      ...row(ageLabels[a.group], a),
      kvinna: a.byGender.kvinna,
      man: a.byGender.man,
      annat: a.byGender.annat,
    })),
    ageSeries: GENDERS.map((g) => ({
      legend: genderLabels[g],
      values: report.byAge.map((a) => ({ x: ageLabels[a.group], y: a.byGender[g] })),
    })),
    ageNote:
      `Mallens överlappande grupper: 30 år och äldre ${report.thirtyAndOver.count} ` +
      `(${report.thirtyAndOver.share} %), 50 år och äldre ${report.fiftyAndOver.count} ` +
      `(${report.fiftyAndOver.share} %). Åldern gäller året för inskrivningen.`,
    outcomes: OUTCOMES.map((o) => row(outcomeLabels[o], report.outcomes[o])),
    flow: {
      year: report.period.year,
      text: flowText(report),
      detail:
        `Planerat flöde: coacher × deltagare per coach och år, ` +
        `${report.period.half === 1 ? 'halva årets plan per 30 juni' : 'helårets plan per 31 december'}. ` +
        `Faktiskt: inskrivna under ${report.period.year} till och med ${periodLabel(report.period)}.`,
      gauge: percent,
      gaugeMax,
      lowSize: 100,
      highSize: gaugeMax - 100,
    },
  };
}

export type ReportView = ReturnType<typeof reportView>;

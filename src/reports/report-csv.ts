import { GENDERS } from '../participants/participants.schema.js';
import { ageLabels, genderLabels, outcomeLabels } from '../participants/participant-labels.js';
import { OUTCOMES, UNKNOWN_KOMMUN, type Lagesrapport } from './lagesrapport.js';
import { periodKey } from './report-period.js';
import { UNKNOWN_KOMMUN_LABEL } from './report.cards.js';

const quote = (value: string | number) => {
  const text = String(value);
  return /[;"\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * The lägesrapport as CSV for the report template: semicolon-separated (as Swedish Excel reads
 * it), one row per number, shares in whole percent.
 */
export function reportCsv(report: Lagesrapport, scopeName: string): string {
  const rows: (string | number)[][] = [
    ['avsnitt', 'grupp', 'kvinna', 'man', 'annat', 'totalt', 'andel_procent'],
  ];
  const g = report.byGender;
  rows.push([
    'inskrivna',
    scopeName,
    g.kvinna.count,
    g.man.count,
    g.annat.count,
    report.total,
    100,
  ]);
  for (const gender of GENDERS) {
    rows.push(['kon', genderLabels[gender], '', '', '', g[gender].count, g[gender].share]);
  }
  for (const k of report.byKommun) {
    const name = k.kommun === UNKNOWN_KOMMUN ? UNKNOWN_KOMMUN_LABEL : k.kommun;
    rows.push(['kommun', name, '', '', '', k.count, k.share]);
  }
  for (const a of report.byAge) {
    const { kvinna, man, annat } = a.byGender;
    rows.push(['alder', ageLabels[a.group], kvinna, man, annat, a.count, a.share]);
  }
  rows.push([
    'alder',
    '30 år och äldre (30–49 + 50+)',
    '',
    '',
    '',
    report.thirtyAndOver.count,
    report.thirtyAndOver.share,
  ]);
  for (const o of OUTCOMES) {
    rows.push([
      'utfall',
      outcomeLabels[o],
      '',
      '',
      '',
      report.outcomes[o].count,
      report.outcomes[o].share,
    ]);
  }
  const { planned, actual, percent } = report.flow;
  rows.push(['flode', `planerat ${report.period.year}`, '', '', '', planned, '']);
  rows.push(['flode', `faktiskt ${report.period.year}`, '', '', '', actual, percent ?? '']);
  const header = `# Lägesrapport ${scopeName} per ${periodKey(report.period)}`;
  return [header, ...rows.map((r) => r.map(quote).join(';'))].join('\n');
}

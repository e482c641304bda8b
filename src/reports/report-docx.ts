import {
  barChart,
  bullet,
  docxBytes,
  fact,
  heading,
  openField,
  para,
  spacer,
  table,
  title,
  type Block,
} from '../documents/docx-parts.js';
import { GENDERS } from '../participants/participants.schema.js';
import { OUTCOMES, UNKNOWN_KOMMUN, type AgeRow } from './lagesrapport.js';
import { formatNumber, formatShare } from './number-format.js';
import {
  ageRowLabels,
  GONE_ON_LABEL,
  outcomeLabels,
  UNKNOWN_KOMMUN_LABEL,
} from './report-labels.js';
import { dateLabel } from './report-period.js';
import { cutOffText, flowSentence, flowToDateSentence, genderSentence } from './report-text.js';
import type { BuiltReport } from './report.service.js';

const GENDER_HEADERS = ['Kvinnor', 'Män', 'Annat'];
const n = formatNumber;

/**
 * The lägesrapport as a Word file that follows the länsdelar's template: every number and chart
 * filled in, and the narrative sections left open for the samordnare.
 */
export function reportDocx(built: BuiltReport, writtenOn: string): Promise<Buffer> {
  const { report } = built;
  const ages = (group: AgeRow) => report.byAge.find((a) => a.group === group)!;
  const ageLine = (group: AgeRow) => {
    const row = ages(group);
    const { kvinna, man, annat } = row.byGender;
    return `${ageRowLabels[group]}: ${n(row.count)} deltagare (${formatShare(row.tenths)}), varav ${n(kvinna)} kvinnor, ${n(man)} män och ${n(annat)} annat/ej angivet`;
  };
  const kommunLabel = (kommun: string) =>
    kommun === UNKNOWN_KOMMUN ? UNKNOWN_KOMMUN_LABEL : kommun;

  const blocks: Block[] = [
    title(`Lägesrapport – ${built.insatsName}`),
    fact('Urval', built.name),
    fact('Rapportens datum', dateLabel(writtenOn)),
    fact('Uppgifterna gäller', cutOffText(built)),
    heading('Beskriv insatsens läge i förhållande till utsatta mål'),
    para('Individmål', { bold: true }),
    openField('Skriv om läget i förhållande till målen för deltagarna.'),
    para('Organisationsmål', { bold: true }),
    openField('Skriv om läget i förhållande till målen för samverkan och organisation.'),

    heading('Hur många deltagare har skrivits in i insatsen sedan start?'),
    para(
      `${n(report.byGender.kvinna.count)} Kvinnor / ${n(report.byGender.man.count)} Män${report.byGender.annat.count > 0 ? ` / ${n(report.byGender.annat.count)} annat eller ej angivet kön` : ''}`,
      { bold: true },
    ),
    table(
      ['Kön', 'Antal', 'Andel'],
      GENDERS.map((g, i) => [
        GENDER_HEADERS[i]!,
        n(report.byGender[g].count),
        formatShare(report.byGender[g].tenths),
      ]),
    ),
    spacer(),
    barChart(
      GENDERS.map((g, i) => ({
        label: GENDER_HEADERS[i]!,
        value: report.byGender[g].count,
        text: n(report.byGender[g].count),
      })),
    ),

    heading(
      'Kommentera deltagarantalet och målgruppen – i förhållande till insatsplan, ålder och jämställdhet',
    ),
    para(
      `Totalt har ${n(report.total)} deltagare skrivits in sedan insatsen startade: ${genderSentence(report)}. Under halvåret har ${n(report.newInHalfYear)} nya deltagare skrivits in.`,
    ),
    heading('Per kommun', 2),
    table(
      ['Kommun', ...GENDER_HEADERS, 'Totalt', 'Andel'],
      report.byKommun.map((k) => [
        kommunLabel(k.kommun),
        ...GENDERS.map((g) => n(k.byGender[g])),
        n(k.count),
        formatShare(k.tenths),
      ]),
      [4, 1, 1, 1, 1, 1.4],
    ),
    spacer(),
    barChart(
      report.byKommun.map((k) => ({
        label: kommunLabel(k.kommun),
        value: k.count,
        text: n(k.count),
      })),
    ),
    heading('Planerat flöde', 2),
    para(flowSentence(report.flow)),
    ...(flowToDateSentence(report.flow) ? [para(flowToDateSentence(report.flow))] : []),
    ...built.kommunFlows.map((k) => bullet(`${k.kommun}: ${flowSentence(k.flow)}`)),
    heading('Ålder', 2),
    ...(['under30', '30plus', '50plus'] as const).map((group) => bullet(ageLine(group))),
    table(
      ['Åldersgrupp', ...GENDER_HEADERS, 'Totalt', 'Andel'],
      report.byAge.map((a) => [
        ageRowLabels[a.group],
        ...GENDERS.map((g) => n(a.byGender[g])),
        n(a.count),
        formatShare(a.tenths),
      ]),
      [4, 1, 1, 1, 1, 1.4],
    ),
    spacer(),
    barChart(
      (['under30', '30plus', '50plus', 'ejRegistrerad'] as const).map((group) => ({
        label: ageRowLabels[group],
        value: ages(group).count,
        text: n(ages(group).count),
      })),
    ),
    para(
      'Andelarna är av alla inskrivna sedan start. Grupperna överlappar som i mallen: 30 år och äldre omfattar 50 år och äldre. Åldern gäller året för inskrivningen; för deltagare utan samtycke registreras bara kön och startår.',
      { italics: true },
    ),
    openField(
      'Kommentera deltagarantalet och målgruppen i förhållande till insatsplan, ålder och jämställdhet.',
    ),

    heading('Kommentera läget i länsdelen'),
    openField('Personal och bemanning, lokaler, lokal styrgrupp, arbetssätt och metod.'),

    heading('Övrigt'),
    para(
      `${GONE_ON_LABEL}: ${n(report.goneOn.count)} deltagare (${formatShare(report.goneOn.tenths)}).`,
      { bold: true },
    ),
    table(
      ['Utfall', 'Antal', 'Andel'],
      OUTCOMES.map((o) => [
        outcomeLabels[o],
        n(report.outcomes[o].count),
        formatShare(report.outcomes[o].tenths),
      ]),
    ),
    spacer(),
    barChart(
      OUTCOMES.map((o) => ({
        label: outcomeLabels[o],
        value: report.outcomes[o].count,
        text: n(report.outcomes[o].count),
      })),
    ),
    openField('Övrigt att rapportera.'),
  ];
  return docxBytes(`Lägesrapport ${built.name} ${report.asOf}`, blocks);
}

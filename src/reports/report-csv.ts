import { GENDERS } from '../participants/participants.schema.js';
import { shareCell } from './number-format.js';
import { REPORT_COLUMNS, type ReportLine } from './report-table.js';

const BOM = '\ufeff';

const quote = (text: string) => (/[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
/** Numbers without grouping and with a decimal comma, as Swedish Excel reads them. */
const numberCell = (value: number | undefined) =>
  value === undefined ? '' : String(value).replace('.', ',');

/**
 * The lägesrapport's numbers as a CSV file for Swedish Excel: a byte-order mark (so å, ä and ö
 * show), semicolons, a header row first, decimal commas, CRLF line ends.
 */
export function reportCsv(lines: readonly ReportLine[]): Buffer {
  const rows = [
    REPORT_COLUMNS.map(quote).join(';'),
    ...lines.map((line) =>
      [
        quote(line.section),
        quote(line.group),
        ...GENDERS.map((g) => numberCell(line.byGender?.[g])),
        numberCell(line.total),
        line.tenths === undefined ? '' : shareCell(line.tenths),
      ].join(';'),
    ),
  ];
  return Buffer.from(`${BOM}${rows.join('\r\n')}\r\n`, 'utf8');
}

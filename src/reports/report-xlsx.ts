import { GENDERS } from '../participants/participants.schema.js';
import { REPORT_COLUMNS, type ReportLine } from './report-table.js';

/**
 * The lägesrapport's numbers as an Excel workbook: one sheet, a header row, counts as numbers and
 * shares as numbers with one decimal (Excel shows the decimal comma in a Swedish locale).
 */
export async function reportXlsx(lines: readonly ReportLine[], title: string): Promise<Buffer> {
  // Loaded when a file is made, not at start (it is the largest library the bot uses).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Finsam';
  workbook.created = new Date(0);
  const sheet = workbook.addWorksheet('Lägesrapport');
  sheet.columns = [
    { header: REPORT_COLUMNS[0], key: 'section', width: 24 },
    { header: REPORT_COLUMNS[1], key: 'group', width: 52 },
    ...GENDERS.map((g, i) => ({ header: REPORT_COLUMNS[2 + i], key: g, width: 10 })),
    { header: REPORT_COLUMNS[5], key: 'total', width: 10 },
    { header: REPORT_COLUMNS[6], key: 'share', width: 10 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const line of lines) {
    sheet.addRow({
      section: line.section,
      group: line.group,
      ...Object.fromEntries(GENDERS.map((g) => [g, line.byGender?.[g]])),
      total: line.total,
      share: line.tenths === undefined ? undefined : line.tenths / 10,
    });
  }
  sheet.getColumn('total').numFmt = '0.#';
  sheet.getColumn('share').numFmt = '0.0';
  workbook.title = title;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

import type { CellValue } from 'exceljs';
import { invalidInput } from '../../errors.js';

/** A participant list as read: the heading row and the data rows, every cell as text. */
export interface ListTable {
  readonly headings: readonly string[];
  /** Data rows with their row number in the file (the heading row is row `headingRow`). */
  readonly rows: readonly { readonly number: number; readonly cells: readonly string[] }[];
}

export const MAX_ROWS = 2_000;
const MAX_COLUMNS = 40;

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (d: Date) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return isoDate(value);
  if (typeof value === 'object') {
    if ('result' in value && value.result !== undefined) return cellText(value.result as CellValue);
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return String(value.text);
    return '';
  }
  return String(value);
}

function fromRows(all: readonly { number: number; cells: string[] }[]): ListTable {
  const nonEmpty = all.filter((row) => row.cells.some((cell) => cell.trim() !== ''));
  const [heading, ...data] = nonEmpty;
  if (!heading) throw invalidInput('Listan är tom. Den första raden ska ha kolumnrubriker.');
  if (data.length > MAX_ROWS) {
    throw invalidInput(
      `Listan har fler än ${MAX_ROWS} rader. Dela upp den och läs in en del i taget.`,
    );
  }
  const width = Math.min(MAX_COLUMNS, Math.max(...nonEmpty.map((row) => row.cells.length)));
  const norm = (cells: string[]) =>
    Array.from({ length: width }, (_, i) => (cells[i] ?? '').normalize('NFC').trim());
  return {
    headings: norm(heading.cells),
    rows: data.map((row) => ({ number: row.number, cells: norm(row.cells) })),
  };
}

/** The first worksheet of an .xlsx file. */
export async function readXlsx(bytes: Buffer): Promise<ListTable> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw invalidInput(
      'Filen gick inte att läsa som en Excel-fil (.xlsx). Spara den som .xlsx eller .csv och försök igen.',
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw invalidInput('Excel-filen har inget kalkylblad.');
  const rows: { number: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell.value);
    });
    rows.push({ number, cells: Array.from(cells, (c) => c ?? '') });
  });
  return fromRows(rows);
}

/** Splits delimited text (RFC 4180 quotes), guessing `;`, tab or `,` from the heading line. */
export function readDelimited(text: string): ListTable {
  const clean = text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  const firstLine = clean.split('\n', 1)[0] ?? '';
  const delimiter = [';', '\t', ','].reduce((best, d) =>
    firstLine.split(d).length > firstLine.split(best).length ? d : best,
  );
  const rows: { number: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowStart = 1;
  for (let i = 0; i < clean.length; i++) {
    const char = clean[i]!;
    if (quoted) {
      if (char === '"' && clean[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        cell += char;
      }
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (char === '\n') {
      cells.push(cell);
      rows.push({ number: rowStart, cells });
      cells = [];
      cell = '';
      line++;
      rowStart = line;
    } else cell += char;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ number: rowStart, cells });
  }
  return fromRows(rows);
}

const XLSX_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** A list sent as a file: .xlsx by its content, otherwise UTF-8 text (.csv). */
export async function readListFile(name: string, bytes: Buffer): Promise<ListTable> {
  if (bytes.subarray(0, 4).equals(XLSX_MAGIC)) return readXlsx(bytes);
  if (/\.xls$/i.test(name)) {
    throw invalidInput(
      'Gamla Excel-filer (.xls) kan inte läsas. Spara listan som .xlsx eller .csv.',
    );
  }
  const text = bytes.toString('utf8');
  if (text.includes('\ufffd')) {
    throw invalidInput(
      'Filen är inte en CSV-fil i UTF-8. Spara listan som .xlsx, eller som CSV UTF-8 i Excel.',
    );
  }
  return readDelimited(text);
}

/** `A`, `B`, … `Z`, `AA` for a zero-based column index. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

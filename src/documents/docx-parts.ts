import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';

/**
 * Small building blocks for the Word files the bot writes (lägesrapport, minnesanteckningar):
 * Swedish language tags, headings, tables, bar charts made of shaded runs (they survive every
 * Word version and LibreOffice, unlike embedded chart parts) and open fields for narrative text.
 */
export type Block = Paragraph | Table;

const LANGUAGE = { value: 'sv-SE' };
const FONT = 'Calibri';
/** A4 with 2 cm margins, in twentieths of a point. */
const CONTENT_WIDTH = 9638;
export const CHART_COLOURS = ['2F6DB5', 'E8A33D', '2A9D8F', '7B5EA7', 'C8553D', '8AB33F'];

const run = (
  text: string,
  options: { bold?: boolean; italics?: boolean; colour?: string; size?: number } = {},
) =>
  new TextRun({
    text,
    language: LANGUAGE,
    ...(options.bold ? { bold: true } : {}),
    ...(options.italics ? { italics: true } : {}),
    ...(options.colour ? { color: options.colour } : {}),
    ...(options.size ? { size: options.size } : {}),
  });

export const title = (text: string) =>
  new Paragraph({ heading: HeadingLevel.TITLE, children: [run(text)] });

export const heading = (text: string, level: 1 | 2 = 1) =>
  new Paragraph({
    heading: level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2,
    spacing: { before: 240 },
    children: [run(text)],
  });

export const para = (text: string, options: { bold?: boolean; italics?: boolean } = {}) =>
  new Paragraph({ spacing: { after: 120 }, children: [run(text, options)] });

/** A label and its value on one line: **Länsdel:** Norra. */
export const fact = (label: string, value: string) =>
  new Paragraph({ children: [run(`${label}: `, { bold: true }), run(value)] });

export const bullet = (text: string) =>
  new Paragraph({ bullet: { level: 0 }, children: [run(text)] });

/** Where the samordnare writes: a grey prompt in a bordered box. */
export const openField = (prompt: string) =>
  new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: [CONTENT_WIDTH],
    rows: [
      new TableRow({
        children: [
          new TableCell({
            margins: { top: 120, bottom: 480, left: 120, right: 120 },
            children: [
              new Paragraph({ children: [run(prompt, { italics: true, colour: '767676' })] }),
            ],
          }),
        ],
      }),
    ],
  });

/** A table with a bold header row; in a numeric table every column but the first is right-aligned. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  widths?: readonly number[],
  numeric = true,
): Table {
  const weights = widths ?? headers.map((_, i) => (i === 0 ? 3 : 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const columnWidths = weights.map((w) => Math.floor((CONTENT_WIDTH * w) / sum));
  const cell = (text: string, index: number, bold: boolean) =>
    new TableCell({
      width: { size: columnWidths[index]!, type: WidthType.DXA },
      margins: { left: 80, right: 80 },
      children: [
        new Paragraph({
          alignment: index === 0 || !numeric ? AlignmentType.LEFT : AlignmentType.RIGHT,
          children: [run(text, { bold })],
        }),
      ],
    });
  return new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths,
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h, i) => cell(h, i, true)) }),
      ...rows.map((row) => new TableRow({ children: row.map((text, i) => cell(text, i, false)) })),
    ],
  });
}

const NO_BORDERS = {
  top: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  bottom: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  left: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  right: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
};

/** Longest bar, in non-breaking spaces of the chart font. */
const BAR_UNITS = 60;

/**
 * A horizontal bar chart: one row per bar with its label, a shaded bar proportional to the
 * largest value, and the value as text (so the numbers read the same as in the tables).
 */
export function barChart(bars: readonly { label: string; value: number; text: string }[]): Table {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const widths = [2600, 5400, 1638];
  return new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    borders: { ...NO_BORDERS, insideHorizontal: NO_BORDERS.top, insideVertical: NO_BORDERS.top },
    rows: bars.map(
      (bar, i) =>
        new TableRow({
          children: [
            new TableCell({
              width: { size: widths[0]!, type: WidthType.DXA },
              borders: NO_BORDERS,
              children: [new Paragraph({ children: [run(bar.label, { size: 18 })] })],
            }),
            new TableCell({
              width: { size: widths[1]!, type: WidthType.DXA },
              borders: NO_BORDERS,
              children: [
                new Paragraph({
                  children: [
                    new TextRun({
                      text: '\u00a0'.repeat(
                        Math.max(bar.value > 0 ? 1 : 0, Math.round((bar.value / max) * BAR_UNITS)),
                      ),
                      font: FONT,
                      size: 18,
                      shading: {
                        type: ShadingType.CLEAR,
                        color: 'auto',
                        fill: CHART_COLOURS[i % CHART_COLOURS.length]!,
                      },
                    }),
                  ],
                }),
              ],
            }),
            new TableCell({
              width: { size: widths[2]!, type: WidthType.DXA },
              borders: NO_BORDERS,
              children: [
                new Paragraph({
                  alignment: AlignmentType.RIGHT,
                  children: [run(bar.text, { size: 18 })],
                }),
              ],
            }),
          ],
        }),
    ),
  });
}

export const spacer = () => new Paragraph({ children: [] });

/** A Word document in Swedish with the given blocks, as bytes. */
export async function docxBytes(documentTitle: string, blocks: readonly Block[]): Promise<Buffer> {
  const document = new Document({
    title: documentTitle,
    creator: 'Finsam',
    styles: {
      default: {
        document: { run: { font: FONT, size: 22, language: LANGUAGE } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 },
          },
        },
        children: [...blocks],
      },
    ],
  });
  return Packer.toBuffer(document);
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';

/**
 * A länsdel's participant list as a samordnare keeps it, generated from a seed, and the
 * lägesrapport's numbers counted from it here, without the bot's code.
 */
export interface ListRow {
  gender: 'kvinna' | 'man' | 'annat';
  consent: boolean;
  birthYear?: number;
  ageGroup?: 'under30' | '30-49' | '50+';
  kommun: 'Eskilstuna' | 'Strängnäs';
  referral: 'Försäkringskassan' | 'Arbetsförmedlingen' | 'Psykiatrin' | 'Ekonomiskt bistånd';
  start: string;
  steps: { column: string; on: string }[];
  outcome?: { word: string; on: string };
}

export function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const between = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { next, pick, between };
}

export const addDays = (date: string, days: number) => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const minDate = (a: string, b: string) => (a < b ? a : b);

const OUTCOME_WORDS = ['arbete', 'subventionerat arbete', 'studier', 'annan insats', 'avbrott'];

/** `count` participants enrolled 2025-01-15 … 2026-06-28, with steps into both half-years. */
export function generateList(count: number, seed: number, lastDay: string): ListRow[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => {
    const start = addDays('2025-01-15', random.between(0, 529));
    let on = start;
    const later = (min: number, max: number) =>
      (on = minDate(addDays(on, random.between(min, max)), lastDay));
    const steps: ListRow['steps'] = [];
    for (const column of ['Kartläggning', 'Arbetsträning']) {
      if (random.next() < 0.7) steps.push({ column, on: later(5, 60) });
    }
    const outcome =
      random.next() < 0.6 ? { word: random.pick(OUTCOME_WORDS), on: later(10, 120) } : undefined;
    if (!outcome && random.next() < 0.2) steps.push({ column: 'Avslutad', on: later(10, 60) });
    const consent = random.next() < 0.8;
    const byYear = random.next() < 0.6;
    const startYear = Number(start.slice(0, 4));
    return {
      gender: random.pick(['kvinna', 'kvinna', 'man', 'man', 'annat'] as const),
      consent,
      ...(byYear
        ? { birthYear: startYear - random.between(18, 64) }
        : { ageGroup: random.pick(['under30', '30-49', '50+'] as const) }),
      kommun: random.next() < 0.6 ? 'Eskilstuna' : 'Strängnäs',
      referral: random.pick([
        'Försäkringskassan',
        'Arbetsförmedlingen',
        'Psykiatrin',
        'Ekonomiskt bistånd',
      ] as const),
      start,
      steps,
      ...(outcome ? { outcome } : {}),
    };
  });
}

export const LIST_HEADINGS = [
  'Kön',
  'Födelseår',
  'Åldersgrupp',
  'Kommun',
  'Startdatum',
  'Remitterande organisation',
  'Samtycke',
  'Kartläggning',
  'Arbetsträning',
  'Avslutad',
  'Utfall',
  'Utfallsdatum',
  'Annan insats (vilken)',
];

const AGE_WORD = { under30: 'under 30', '30-49': '30–49', '50+': '50+' } as const;

export function listCells(row: ListRow): string[] {
  const step = (column: string) => row.steps.find((s) => s.column === column)?.on ?? '';
  return [
    row.gender === 'kvinna' ? 'Kvinna' : row.gender === 'man' ? 'Man' : 'Annat',
    row.birthYear ? String(row.birthYear) : '',
    row.ageGroup ? AGE_WORD[row.ageGroup] : '',
    row.kommun,
    row.start,
    row.referral,
    row.consent ? 'Ja' : 'Nej',
    step('Kartläggning'),
    step('Arbetsträning'),
    step('Avslutad'),
    row.outcome?.word ?? '',
    row.outcome?.on ?? '',
    row.outcome?.word === 'annan insats' ? 'Daglig verksamhet' : '',
  ];
}

export function listCsv(
  rows: readonly ListRow[],
  headings = LIST_HEADINGS,
  cells = listCells,
): Buffer {
  const lines = [headings, ...rows.map(cells)].map((line) => line.join(';'));
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function listXlsx(rows: readonly ListRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Deltagare');
  sheet.addRow(LIST_HEADINGS);
  for (const row of rows) {
    const cells: (string | number | Date)[] = listCells(row);
    cells[1] = row.birthYear ?? '';
    cells[4] = new Date(`${row.start}T00:00:00Z`);
    sheet.addRow(cells);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const ageOf = (row: ListRow) =>
  row.ageGroup ??
  ((age: number) => (age < 30 ? 'under30' : age < 50 ? '30-49' : '50+'))(
    Number(row.start.slice(0, 4)) - row.birthYear!,
  );

function outcomeOf(row: ListRow, asOf: string): string {
  const dated = [
    ...row.steps.map((s) => ({ word: s.column === 'Avslutad' ? 'avslutad' : 'working', on: s.on })),
    ...(row.outcome ? [{ word: row.outcome.word, on: row.outcome.on }] : []),
  ]
    .filter((s) => s.on <= asOf)
    .sort((a, b) => a.on.localeCompare(b.on));
  const last = [...dated].reverse().find((s) => OUTCOME_WORDS.includes(s.word));
  if (last) {
    return {
      arbete: 'arbete',
      'subventionerat arbete': 'arbete',
      studier: 'studier',
      'annan insats': 'annanInsats',
      avbrott: 'avbrott',
    }[last.word]!;
  }
  return dated.at(-1)?.word === 'avslutad' ? 'avslutad' : 'pagar';
}

type Split = [number, number, number];
const add = (split: Split, gender: ListRow['gender']) => {
  split[gender === 'kvinna' ? 0 : gender === 'man' ? 1 : 2]++;
};

/** The report's numbers as of a date, counted straight from the list. */
export function countReport(rows: readonly ListRow[], asOf: string) {
  const inScope = rows.filter((r) => r.start <= asOf);
  const split = (filter: (r: ListRow) => boolean): Split => {
    const s: Split = [0, 0, 0];
    for (const r of inScope.filter(filter)) add(s, r.gender);
    return s;
  };
  const halfStart =
    asOf.slice(5) <= '06-30' ? `${asOf.slice(0, 4)}-01-01` : `${asOf.slice(0, 4)}-07-01`;
  return {
    total: inScope.length,
    gender: split(() => true),
    newInHalfYear: inScope.filter((r) => r.start >= halfStart).length,
    kommun: {
      Eskilstuna: split((r) => r.consent && r.kommun === 'Eskilstuna'),
      Strängnäs: split((r) => r.consent && r.kommun === 'Strängnäs'),
      none: split((r) => !r.consent),
    },
    age: {
      under30: split((r) => r.consent && ageOf(r) === 'under30'),
      thirtyPlus: split((r) => r.consent && ageOf(r) !== 'under30'),
      fiftyPlus: split((r) => r.consent && ageOf(r) === '50+'),
      thirtyToFortynine: split((r) => r.consent && ageOf(r) === '30-49'),
      none: split((r) => !r.consent),
    },
    outcome: Object.fromEntries(
      ['arbete', 'studier', 'annanInsats', 'avbrott', 'pagar', 'avslutad'].map((o) => [
        o,
        inScope.filter((r) => outcomeOf(r, asOf) === o).length,
      ]),
    ) as Record<'arbete' | 'studier' | 'annanInsats' | 'avbrott' | 'pagar' | 'avslutad', number>,
    goneOn: split((r) => ['arbete', 'studier', 'annanInsats'].includes(outcomeOf(r, asOf))),
  };
}

export const sum = (split: readonly number[]) => split.reduce((a, b) => a + b, 0);
/** A share with one decimal and a decimal comma, as a Swedish report writes it. */
export const shareText = (count: number, total: number) => {
  const tenths = total === 0 ? 0 : Math.floor((count * 2000 + total) / (2 * total));
  return `${Math.floor(tenths / 10)},${tenths % 10}`;
};

/** Serves files on loopback the way Teams serves a file someone sent the bot. */
export async function fileHost(
  files: Map<string, Buffer>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const file = files.get((req.url ?? '').slice(1));
    if (!file) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('Content-Length', String(file.length));
    res.end(file);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every table row of a card as its cells' texts. */
export function cardTables(card: unknown): string[][] {
  const rows: string[][] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'TableRow') {
      rows.push(
        (record.cells as { items: { text: string }[] }[]).map((cell) =>
          cell.items.map((i) => i.text).join(' '),
        ),
      );
      return;
    }
    Object.values(record).forEach(walk);
  };
  walk(card);
  return rows;
}

import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAction, message, TENANT_ID, users, type TestUser } from '../support/activities.js';
import { cardProblems } from '../support/card-validator.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import {
  cardTables,
  countReport,
  fileHost,
  generateList,
  listCsv,
  shareText,
  sum,
} from '../support/participant-lists.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

/**
 * A generated länsdel Norra (Eskilstuna with 4,5 coaches, Strängnäs with 2, 20 participants per
 * coach and year over 3 years from 2025): 320 participants read in from their list, with steps in
 * both half-years. Its lägesrapport is checked number by number in the card, the CSV, the Excel
 * file and the Word file against a count made here from the list itself.
 */
const anna = users.anna;
const leila: TestUser = {
  id: '29:leila',
  name: 'Leila Coach',
  aadObjectId: 'a0000000-0000-4000-8000-000000000006',
};
const NORRA = JSON.stringify([
  {
    id: 'norra',
    name: 'Norra',
    kommuner: ['Eskilstuna', 'Strängnäs'],
    coaches: { Eskilstuna: 4.5, Strängnäs: 2 },
    participantsPerCoach: 20,
    planYears: 3,
    startDate: '2025-01-01',
  },
  {
    id: 'vastra',
    name: 'Västra',
    kommuner: ['Flen'],
    coaches: 1.5,
    participantsPerCoach: 18,
    planYears: 2,
    startDate: '2025-06-01',
  },
]);
const TODAY = new Date('2026-07-02T08:00:00Z');
const list = generateList(320, 20260702, '2026-07-01');

interface World {
  bot: TestBot;
  connector: FakeConnector;
  files: Awaited<ReturnType<typeof fileHost>>;
}
const world = {} as World;

const say = async (text: string, from: TestUser, mention: TestUser[] = []) => {
  world.connector.clear();
  const response = await world.bot.post(
    message(text, { serviceUrl: world.connector.url, from, mention }),
  );
  expect(response.status).toBe(200);
  return world.connector.messages();
};
const click = async (verb: string, data: Record<string, unknown>, from: TestUser) => {
  world.connector.clear();
  const response = await world.bot.post(
    cardAction(verb, data, { serviceUrl: world.connector.url, from }),
  );
  expect(response.status).toBe(200);
  return (response.body as { value: Record<string, unknown> }).value;
};
const linkIn = () =>
  /\((http:\/\/127\.0\.0\.1:\d+\/filer\/[^)]+)\)/.exec(
    world.connector
      .messages()
      .map((m) => m.body.text ?? '')
      .join('\n'),
  )?.[1];
const fileOf = async (format: string, asOf: string) => {
  const card = await click('reports.file', { scope: 'lansdel:norra', asOf, format }, anna);
  expect(cardText(card)).toContain('nedladdningslänk');
  const link = linkIn();
  expect(link).toBeDefined();
  const response = await fetch(link!);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
};

beforeAll(async () => {
  world.connector = await new FakeConnector().start();
  world.bot = await startTestBot(
    { ALLOWED_TENANT_IDS: TENANT_ID, BOOTSTRAP_ADMIN_IDS: anna.aadObjectId, LANSDELAR: NORRA },
    { now: () => TODAY },
  );
  world.files = await fileHost(new Map([['norra.csv', listCsv(list)]]));
  for (const user of [anna, leila]) await say('/hjälp', user);
  await say(`/roller ge <at>${anna.name}</at> samordnare forbundskansliet`, anna, [anna]);
  await say(`/roller ge <at>${leila.name}</at> coach eskilstuna`, anna, [leila]);
  const sent = message('', { serviceUrl: world.connector.url, from: anna });
  world.connector.clear();
  await world.bot.post({
    ...sent,
    attachments: [
      {
        contentType: 'application/vnd.microsoft.teams.file.download.info',
        name: 'norra.csv',
        content: { downloadUrl: `${world.files.url}/norra.csv`, fileType: 'csv' },
      },
    ],
  });
  const preview = cardOf(world.connector.messages()[0])!;
  const confirm = JSON.stringify(preview).match(
    /"verb":"participants.importConfirm","data":(\{[^}]+\})/,
  )![1]!;
  const done = await click(
    'participants.importConfirm',
    { ...JSON.parse(confirm), lansdelId: 'norra', coachId: leila.id },
    anna,
  );
  expect(cardText(done)).toContain(`${list.length} deltagare är inlästa`);
}, 120_000);

afterAll(async () => {
  await world.bot?.stop();
  await world.connector?.stop();
  await world.files?.close();
});

describe('the lägesrapport of a generated länsdel, number for number', () => {
  for (const asOf of ['2026-06-30', '2025-12-31']) {
    it(`when the report is asked for as of ${asOf}, then the card shows every number as counted from the list`, async () => {
      const expected = countReport(list, asOf);
      const [reply] = await say(`/rapport Norra ${asOf}`, anna);
      const card = cardOf(reply)!;
      expect(cardProblems(card)).toEqual([]);
      const text = cardText(card);
      const [k, m, a] = expected.gender;
      expect(text).toContain(`${expected.total} (${k} kvinnor, ${m} män, ${a} annat)`);
      expect(text).toContain(`Nya under halvåret\n${expected.newInHalfYear}\n`);
      const rows = cardTables(card);
      const row = (label: string) => rows.find((r) => r[0] === label);
      const pct = (n: number) => `${shareText(n, expected.total)}\u00a0%`;
      expect(row('Kvinnor')).toEqual(['Kvinnor', String(k), pct(k)]);
      expect(row('Män')).toEqual(['Män', String(m), pct(m)]);
      const ages = [
        ['Under 30 år', expected.age.under30],
        ['30 år och äldre', expected.age.thirtyPlus],
        ['50 år och äldre', expected.age.fiftyPlus],
        ['varav 30–49 år', expected.age.thirtyToFortynine],
        ['Ålder ej registrerad (utan samtycke)', expected.age.none],
      ] as const;
      for (const [label, split] of ages) {
        expect(row(label)).toEqual([
          label,
          ...split.map(String),
          String(sum(split)),
          pct(sum(split)),
        ]);
      }
      for (const [label, split] of [
        ['Eskilstuna', expected.kommun.Eskilstuna],
        ['Strängnäs', expected.kommun.Strängnäs],
      ] as const) {
        expect(row(label)).toEqual([label, String(sum(split)), pct(sum(split))]);
      }
      expect(row('Arbete')).toEqual([
        'Arbete',
        String(expected.outcome.arbete),
        pct(expected.outcome.arbete),
      ]);
      expect(row('Pågår i insatsen')).toEqual([
        'Pågår i insatsen',
        String(expected.outcome.pagar),
        pct(expected.outcome.pagar),
      ]);
      expect(text).toContain(
        `${sum(expected.goneOn)} (${pct(sum(expected.goneOn))}) till arbete, studier eller annan insats`,
      );
      const flowPct = shareText(expected.total, 390);
      expect(text).toContain(`390, utfall ${expected.total} (${flowPct}\u00a0%)`);
      expect(text).toContain(
        'Med 6,5 coacher och ca 20 deltagare per coach och år under 3 år skulle vi fullt bemannade ta emot 390 deltagare.',
      );
      expect(text).toContain(
        `Eskilstuna: 4,5 coacher, planerat 270, utfall ${shareText(sum(expected.kommun.Eskilstuna), 270)}\u00a0%`,
      );
    }, 30_000);
  }

  it('when the numbers are taken as CSV, then the file has a BOM, a header row and every number as counted', async () => {
    const expected = countReport(list, '2026-06-30');
    const bytes = await fileOf('csv', '2026-06-30');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('avsnitt;grupp;kvinnor;män;annat;totalt;andel (%)');
    const t = expected.total;
    const line = (
      section: string,
      group: string,
      split: readonly number[] | undefined,
      total: number,
    ) => `${section};${group};${split ? split.join(';') : ';;'};${total};${shareText(total, t)}`;
    expect(lines).toContain(line('inskrivna sedan start', 'Totalt', expected.gender, t));
    expect(lines).toContain(
      line('kommun', 'Strängnäs', expected.kommun.Strängnäs, sum(expected.kommun.Strängnäs)),
    );
    expect(lines).toContain(
      line(
        'kommun',
        'Kommun ej registrerad (utan samtycke)',
        expected.kommun.none,
        sum(expected.kommun.none),
      ),
    );
    expect(lines).toContain(
      line('ålder', '30 år och äldre', expected.age.thirtyPlus, sum(expected.age.thirtyPlus)),
    );
    expect(lines).toContain(
      line('ålder', '50 år och äldre', expected.age.fiftyPlus, sum(expected.age.fiftyPlus)),
    );
    expect(lines).toContain(line('utfall', 'Studier', undefined, expected.outcome.studier));
    expect(lines).toContain(
      line('utfall', 'Avslutad utan utfall', undefined, expected.outcome.avslutad),
    );
    expect(lines).toContain(
      line(
        'gått vidare',
        'Gått vidare till arbete, studier eller annan insats',
        expected.goneOn,
        sum(expected.goneOn),
      ),
    );
    expect(lines).toContain(`flöde;Planerat flöde;;;;390;`);
    expect(lines).toContain(`flöde;Utfall sedan start;;;;${t};${shareText(t, 390)}`);
    expect(lines).toContain(`flöde Strängnäs;Planerat flöde;;;;120;`);
  });

  it('when the numbers are taken as Excel, then the workbook reads back with the same numbers as numbers', async () => {
    const expected = countReport(list, '2026-06-30');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await fileOf('xlsx', '2026-06-30')) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Lägesrapport')!;
    const rows = new Map<string, unknown[]>();
    sheet.eachRow((row) => {
      const values = (row.values as unknown[]).slice(1);
      rows.set(`${String(values[0])}|${String(values[1])}`, values.slice(2));
    });
    const t = expected.total;
    const share = (n: number) => Number(shareText(n, t).replace(',', '.'));
    expect(rows.get('inskrivna sedan start|Totalt')).toEqual([...expected.gender, t, 100]);
    expect(rows.get('ålder|Under 30 år')).toEqual([
      ...expected.age.under30,
      sum(expected.age.under30),
      share(sum(expected.age.under30)),
    ]);
    expect(rows.get('kommun|Eskilstuna')).toEqual([
      ...expected.kommun.Eskilstuna,
      sum(expected.kommun.Eskilstuna),
      share(sum(expected.kommun.Eskilstuna)),
    ]);
    expect(rows.get('utfall|Avbrott')?.slice(3)).toEqual([
      expected.outcome.avbrott,
      share(expected.outcome.avbrott),
    ]);
    expect(rows.get('flöde|Planerat flöde')?.[3]).toBe(390);
  });

  it('when the report is taken as a Word file, then it follows the template headings with every number filled in and the narrative left open', async () => {
    const expected = countReport(list, '2026-06-30');
    const text = (await mammoth.extractRawText({ buffer: await fileOf('docx', '2026-06-30') }))
      .value;
    const t = expected.total;
    const pct = (n: number) => `${shareText(n, t)}\u00a0%`;
    const headings = [
      'Lägesrapport – Sikta mot arbetslivet',
      'Beskriv insatsens läge i förhållande till utsatta mål',
      'Hur många deltagare har skrivits in i insatsen sedan start?',
      'Kommentera deltagarantalet och målgruppen – i förhållande till insatsplan, ålder och jämställdhet',
      'Kommentera läget i länsdelen',
      'Övrigt',
    ];
    const at = headings.map((h) => text.indexOf(h));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
    const [k, m, a] = expected.gender;
    expect(text).toContain(`${k} Kvinnor / ${m} Män / ${a} annat eller ej angivet kön`);
    expect(text).toContain(`Totalt har ${t} deltagare skrivits in sedan insatsen startade`);
    const ageLine = (label: string, split: readonly [number, number, number]) =>
      `${label}: ${sum(split)} deltagare (${pct(sum(split))}), varav ${split[0]} kvinnor, ${split[1]} män och ${split[2]} annat/ej angivet`;
    expect(text).toContain(ageLine('Under 30 år', expected.age.under30));
    expect(text).toContain(ageLine('30 år och äldre', expected.age.thirtyPlus));
    expect(text).toContain(ageLine('50 år och äldre', expected.age.fiftyPlus));
    expect(text).toContain(
      `Utfallet är ${t}, vilket motsvarar ${shareText(t, 390)}\u00a0% av planerat flöde.`,
    );
    expect(text).toContain(
      `Gått vidare till arbete, studier eller annan insats: ${sum(expected.goneOn)} deltagare (${pct(sum(expected.goneOn))}).`,
    );
    expect(text).toContain(
      'Personal och bemanning, lokaler, lokal styrgrupp, arbetssätt och metod.',
    );
  });

  it('when a link has been used or is for someone else, then it gives nothing', async () => {
    await fileOf('csv', '2026-06-30');
    const link = linkIn()!;
    expect((await fetch(link)).status).toBe(410);
    const forged = link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await fetch(forged)).status).toBe(410);
  });

  it('when /rapport names a kommun, any date, or a date that does not exist, then it reports the kommun, counts to that day, or says how dates are written without quoting', async () => {
    const [kommun] = await say('/rapport Eskilstuna 2026-03-15', anna);
    const expected = countReport(list, '2026-03-15');
    expect(cardText(cardOf(kommun))).toContain('Lägesrapport · Eskilstuna (länsdel Norra)');
    expect(cardText(cardOf(kommun))).toContain(`${sum(expected.kommun.Eskilstuna)} (`);
    const [bad] = await say('/rapport Norra 2025-13-01', anna);
    expect(bad!.body.text).toContain('Datum skrivs ÅÅÅÅ-MM-DD');
    expect(bad!.body.text).not.toContain('2025-13-01');
    const [unknown] = await say('/rapport Ankeborg', anna);
    expect(unknown!.body.text).toContain('Det känner boten inte igen');
    expect(unknown!.body.text).not.toContain('Ankeborg');
  });

  it('when /rapport is written without a date, then the card says it shows the half-year so far', async () => {
    const [reply] = await say('/rapport Norra', anna);
    expect(cardText(cardOf(reply))).toContain(
      'Halvåret hittills: 1 juli 2026 – 2 juli 2026 (per i dag)',
    );
  });
});

import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { participantTables } from '../../src/storage/participant-tables.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { cardAction, message, TENANT_ID, users, type TestUser } from '../support/activities.js';
import { cardProblems } from '../support/card-validator.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import {
  countReport,
  fileHost,
  generateList,
  LIST_HEADINGS,
  listCells,
  listCsv,
  listXlsx,
  type ListRow,
} from '../support/participant-lists.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

/**
 * Today's participant list read in: from an Excel file and from text pasted into the card, with
 * a preview first; a list with mistakes, the same list twice, and lists with a name or a
 * personnummer column; then the report over what was read in. Also the strict typed input.
 */
const anna = users.anna;
const leila: TestUser = {
  id: '29:leila',
  name: 'Leila Coach',
  aadObjectId: 'a0000000-0000-4000-8000-000000000006',
};
const TODAY = new Date('2026-07-02T08:00:00Z');
const good = generateList(60, 7, '2026-07-01');
const PNR = '19811218-9876';

interface World {
  bot: TestBot;
  connector: FakeConnector;
  files: Awaited<ReturnType<typeof fileHost>>;
  hosted: Map<string, Buffer>;
}
const world = {} as World;
const tables = () =>
  participantTables(
    createTableStore(
      loadConfig({ STORAGE_CONNECTION_STRING: inject('tableConnectionString') }).storage,
      world.bot.tablePrefix,
    ),
    ['norra', 'vastra', 'sodra'],
  );

const say = async (text: string, from: TestUser, mention: TestUser[] = []) => {
  world.connector.clear();
  const response = await world.bot.post(
    message(text, { serviceUrl: world.connector.url, from, mention }),
  );
  expect(response.status).toBe(200);
  return world.connector.messages();
};
const click = async (verb: string, data: Record<string, unknown>, from: TestUser = anna) => {
  world.connector.clear();
  const response = await world.bot.post(
    cardAction(verb, data, { serviceUrl: world.connector.url, from }),
  );
  expect(response.status).toBe(200);
  return (response.body as { value: Record<string, unknown> }).value;
};
/** Sends a file in the personal chat, as Teams does; answers the bot's reply. */
const sendFile = async (name: string, bytes: Buffer, from: TestUser = anna) => {
  world.hosted.set(name, bytes);
  world.connector.clear();
  const response = await world.bot.post({
    ...message('', { serviceUrl: world.connector.url, from }),
    attachments: [
      {
        contentType: 'application/vnd.microsoft.teams.file.download.info',
        name,
        content: {
          downloadUrl: `${world.files.url}/${encodeURIComponent(name)}`,
          fileType: name.split('.').pop(),
        },
      },
    ],
  });
  expect(response.status).toBe(200);
  const [reply] = world.connector.messages();
  return { text: reply?.body.text ?? '', card: cardOf(reply) };
};
const confirmData = (card: unknown) =>
  JSON.parse(
    JSON.stringify(card).match(/"verb":"participants.importConfirm","data":(\{[^}]+\})/)![1]!,
  ) as Record<string, unknown>;
const fact = (card: unknown, title: string) =>
  new RegExp(`"title":"${title}","value":"([^"]*)"`).exec(JSON.stringify(card))?.[1];
const stored = async () => (await tables().listLansdel('norra')).length;

beforeAll(async () => {
  world.connector = await new FakeConnector().start();
  world.bot = await startTestBot(
    { ALLOWED_TENANT_IDS: TENANT_ID, BOOTSTRAP_ADMIN_IDS: anna.aadObjectId },
    { now: () => TODAY },
  );
  world.hosted = new Map();
  world.files = await fileHost(world.hosted);
  for (const user of [anna, leila]) await say('/hjälp', user);
  await say(`/roller ge <at>${anna.name}</at> samordnare forbundskansliet`, anna, [anna]);
}, 60_000);

afterAll(async () => {
  await world.bot?.stop();
  await world.connector?.stop();
  await world.files?.close();
});

describe('reading in today’s participant list', () => {
  it('when a samordnare opens the form before any coach exists, then the form says so at once and offers no submit', async () => {
    const [reply] = await say('/deltagare ny', anna);
    const card = cardOf(reply)!;
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain('Det finns ingen coach i förbundet ännu');
    expect(JSON.stringify(card)).not.toContain('participants.enrol');
    await say(`/roller ge <at>${leila.name}</at> coach eskilstuna`, anna, [leila]);
  });

  it('when a list has a name column, then the whole list is refused, the column named by letter, and nothing is stored', async () => {
    const headings = [LIST_HEADINGS[0]!, 'Förnamn', ...LIST_HEADINGS.slice(1)];
    const cells = (row: ListRow) => {
      const all = listCells(row);
      return [all[0]!, 'Ingegerd', ...all.slice(1)];
    };
    const { card } = await sendFile('med-namn.csv', listCsv(good.slice(0, 5), headings, cells));
    expect(cardText(card)).toContain(
      'kolumn med namn, personnummer, samordningsnummer eller födelsedatum (kolumn B)',
    );
    expect(cardText(card)).not.toContain('Ingegerd');
    expect(await stored()).toBe(0);
  });

  it('when a list has a personnummer column or a personnummer in a cell, then it is refused whole and the number is never shown', async () => {
    const headings = ['Personnummer', ...LIST_HEADINGS];
    const { card } = await sendFile(
      'pnr.csv',
      listCsv(good.slice(0, 3), headings, (r) => [PNR, ...listCells(r)]),
    );
    expect(cardText(card)).toContain('kolumn A');
    expect(JSON.stringify(card)).not.toContain('9876');
    const inCell = listCsv(good.slice(0, 3), LIST_HEADINGS, (r) => {
      const all = listCells(r);
      all[12] = `Daglig verksamhet ${PNR}`;
      return all;
    });
    const { card: refused, text } = await sendFile('pnr-cell.csv', inCell);
    expect(`${cardText(refused)}${text}`).toMatch(/personnummer/);
    expect(`${JSON.stringify(refused)}${text}`).not.toContain('9876');
    expect(await stored()).toBe(0);
  });

  it('when a list has mistakes, then the preview names each by row and column in Swedish, without the values, and only correct rows are read in', async () => {
    const broken = good.slice(0, 10).map((r) => listCells(r));
    broken[1]![0] = 'Kvinnan X';
    broken[3]![4] = '2025-13-01';
    broken[5]![6] = 'kanske';
    broken[7]![3] = 'Trosa';
    broken[8]![4] = '2027-01-01';
    broken[9]![1] = String(Number(broken[9]![4]!.slice(0, 4)) - 40);
    broken[9]![2] = 'under 30';
    const bytes = Buffer.from(
      `\ufeff${[LIST_HEADINGS, ...broken].map((l) => l.join(';')).join('\r\n')}`,
      'utf8',
    );
    const { card } = await sendFile('fel.csv', bytes);
    expect(cardProblems(card!)).toEqual([]);
    const text = cardText(card);
    expect(text).toContain('Rad 3, kolumn A (Kön): Skriv kvinna, man eller annat.');
    expect(text).toContain('Rad 5, kolumn E (Startdatum): Datum skrivs ÅÅÅÅ-MM-DD');
    expect(text).toContain('Rad 7, kolumn G (Samtycke): Skriv ja eller nej.');
    expect(text).toContain('Rad 9, kolumn D (Kommun): Kommunen ska vara en av länsdel Norra');
    expect(text).toContain(
      'Rad 10, kolumn E (Startdatum): Startdatumet kan inte vara framåt i tiden.',
    );
    expect(text).not.toContain('Kvinnan X');
    expect(text).not.toContain('kanske');
    const consentRow9 = good[9]!.consent;
    expect(fact(card, 'Med fel \\(läses inte in\\)')).toBe(String(consentRow9 ? 6 : 5));
    expect(await stored()).toBe(0);
  });

  it('when a valid Excel list is confirmed, then every row gets a code as if enrolled by the form, the audit says import, and the same list again adds nothing', async () => {
    const { card } = await sendFile('norra.xlsx', await listXlsx(good));
    expect(fact(card, 'Klara att läsa in')).toBe(String(good.length));
    const withoutConsent = good.filter((r) => !r.consent).length;
    expect(fact(card, 'Utan samtycke')).toContain(`${withoutConsent}: bara kön och startår sparas`);
    expect(fact(card, 'Utan samtycke')).toContain('kommun');
    const done = await click('participants.importConfirm', {
      ...confirmData(card),
      lansdelId: 'norra',
      coachId: leila.id,
    });
    expect(cardText(done)).toContain(`${good.length} deltagare är inlästa. Koderna är D-2025-0001`);
    const participants = await tables().listLansdel('norra');
    expect(participants).toHaveLength(good.length);
    expect(participants.every((p) => p.coachId === leila.id && p.source === 'import')).toBe(true);
    const noConsent = participants.find((p) => !p.consent)!;
    expect(noConsent.kommun).toBeUndefined();
    const log = await tables().auditOf(participants[0]!);
    expect(log.map((e) => e.action)).toContain('participants.import');

    const again = await sendFile('norra-igen.xlsx', await listXlsx(good));
    expect(fact(again.card, 'Fanns redan')).toBe(String(good.length));
    expect(JSON.stringify(again.card)).not.toContain('participants.importConfirm');
    expect(await stored()).toBe(good.length);
  });

  it('when a list is pasted into the card, then it is previewed and read in the same way, and a double click imports once', async () => {
    const more = generateList(8, 99, '2026-07-01');
    const pasted = [LIST_HEADINGS, ...more.map(listCells)].map((l) => l.join('\t')).join('\n');
    const [reply] = await say('/deltagare import', anna);
    expect(cardProblems(cardOf(reply)!)).toEqual([]);
    const preview = await click('participants.importPreview', {
      requestId: 'req-paste-0001',
      pasted,
      lansdelId: 'norra',
      coachId: leila.id,
    });
    expect(fact(preview, 'Klara att läsa in')).toBe('8');
    const data = { ...confirmData(preview), lansdelId: 'norra', coachId: leila.id };
    const [first, second] = await Promise.all([
      click('participants.importConfirm', data),
      click('participants.importConfirm', data),
    ]);
    expect([cardText(first), cardText(second)].join()).toContain('8 deltagare är inlästa');
    expect(await stored()).toBe(good.length + 8);
  });

  it('when the report is asked for over the imported population, then it counts what the lists said', async () => {
    const all = [...good, ...generateList(8, 99, '2026-07-01')];
    const expected = countReport(all, '2026-06-30');
    const [reply] = await say('/rapport Norra 2026-06-30', anna);
    const [k, m, a] = expected.gender;
    expect(cardText(cardOf(reply))).toContain(
      `${expected.total} (${k} kvinnor, ${m} män, ${a} annat)`,
    );
  });
});

describe('strict typed input and forms', () => {
  const first = async () => (await tables().listLansdel('norra')).find((p) => !p.endedOn)!;

  it('when a step is typed with a date that does not exist or lies ahead, then it is refused with the right form and nothing is recorded', async () => {
    const p = await first();
    const before = (await tables().get(p.code))!.value.eventCount;
    const [bad] = await say(`/deltagare steg ${p.code} arbete 2025-13-01`, anna);
    expect(bad!.body.text).toContain('Datum skrivs ÅÅÅÅ-MM-DD');
    expect(bad!.body.text).not.toContain('2025-13-01');
    const [ahead] = await say(`/deltagare steg ${p.code} arbete 2026-08-01`, anna);
    expect(ahead!.body.text).toContain('kan inte vara framåt i tiden');
    expect((await tables().get(p.code))!.value.eventCount).toBe(before);
  });

  it('when the enrolment form has a birth year that contradicts the age group, then the form comes back with every value kept', async () => {
    const form = {
      requestId: 'req-form-0001',
      insatsId: 'sikta',
      lansdelId: 'norra',
      enrolledOn: '2026-06-01',
      gender: 'kvinna',
      responsibleOrganisationId: 'fk',
      coachId: leila.id,
      caseCode: '',
      consent: 'true',
      birthYear: '1970',
      ageGroup: 'under30',
      kommun: 'Strängnäs',
      referral: 'forsakringskassan',
    };
    const card = await click('participants.enrol', form);
    expect(cardText(card)).toContain('Födelseåret och åldersgruppen stämmer inte överens');
    for (const value of [
      '"value":"1970"',
      '"value":"under30"',
      '"value":"Strängnäs"',
      '"value":"2026-06-01"',
    ]) {
      expect(JSON.stringify(card)).toContain(value);
    }
  });

  it('when consent is off but consent-only fields are filled in, then the card says which were not kept', async () => {
    const card = await click('participants.enrol', {
      requestId: 'req-form-0002',
      insatsId: 'sikta',
      lansdelId: 'norra',
      enrolledOn: '2026-06-01',
      gender: 'man',
      responsibleOrganisationId: 'fk',
      coachId: leila.id,
      caseCode: '',
      consent: 'false',
      birthYear: '1990',
      ageGroup: '',
      kommun: 'Eskilstuna',
      referral: '',
    });
    expect(cardText(card)).toContain('Utan samtycke sparades inte: födelseår, kommun.');
  });

  it('when the länsdel is changed on the form, then the kommun list is that länsdel’s and the other values stay', async () => {
    const card = await click('participants.new', {
      requestId: 'req-form-0003',
      refresh: 'lansdel',
      lansdelId: 'vastra',
      gender: 'kvinna',
    });
    const kommunList = JSON.stringify(card).match(/"id":"kommun".*?"choices":(\[[^\]]*\])/)![1]!;
    expect(kommunList).toContain('Katrineholm');
    expect(kommunList).not.toContain('Eskilstuna');
    expect(JSON.stringify(card)).toContain('"value":"kvinna"');
  });
});

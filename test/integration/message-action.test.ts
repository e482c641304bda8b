import { newId } from '../../src/ids.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '../../src/storage/table-store.js';
import { containsPersonalIdentityNumber } from '../../src/privacy/personal-identity-number.js';
import {
  cardAction,
  messageActionFetch,
  messageActionSubmit,
  messagePayload,
  TENANT_ID,
  users,
  type TestUser,
  type Where,
} from '../support/activities.js';
import { actionData } from '../support/card-actions.js';
import { cardText, FakeConnector } from '../support/fake-connector.js';
import { storedMeeting } from '../support/meeting-setup.js';
import { storeFor } from '../support/table-snapshot.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { grantRoles } from '../support/grant-roles.js';

/**
 * "Lägg till på dagordningen" from a message's … menu: the dialog filled in from the message,
 * the item added to the channel's next meeting with the same checks as the kallelse's form,
 * personnummer refused without being echoed or stored, re-deliveries and bad input changing
 * nothing. Real HTTP endpoint, real Azurite, the recording Bot Connector.
 */
const ADD_TO_AGENDA = 'addToAgenda';
const { anna, erik } = users;
const olle: TestUser = {
  id: '29:olle',
  name: 'Olle Utan Roll',
  aadObjectId: 'a0000000-0000-4000-8000-000000000011',
};
const oskar: TestUser = {
  id: '29:oskar',
  name: 'Oskar Observatör',
  aadObjectId: 'a0000000-0000-4000-8000-000000000012',
};
const NOW = new Date('2026-12-01T08:00:00Z');
/** A personnummer with a valid check digit, and ways people type it. */
const PERSONNUMMER_FORMS = [
  '19811218-9876',
  '811218–9876',
  '19811218\u20119876',
  '811218 9876',
  '8112189876',
  '811218\u22129876',
];
const DIGITS = ['811218', '9876'];

let connector: FakeConnector;
let bot: TestBot;

beforeAll(async () => {
  connector = await new FakeConnector().start();
  bot = await startTestBot(
    { ALLOWED_TENANT_IDS: TENANT_ID, BOOTSTRAP_ADMIN_IDS: anna.aadObjectId },
    { now: () => NOW },
  );
  await grantRoles(bot, connector.url, [
    [anna, 'samordnare forbundskansliet'],
    [erik, 'representant fk'],
    [oskar, 'observatör'],
  ]);
});

afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
});

interface DialogBody {
  task?: {
    type: 'continue' | 'message';
    value: string | { title: string; card: { contentType: string; content: unknown } };
  };
}

const channelWhere = (name: string): Where => ({
  kind: 'channel',
  conversationId: `19:${name}-${newId().slice(0, 8)}@thread.tacv2`,
});

/** A referensgrupp series in the channel with meetings in January and February. */
async function seriesIn(where: Where) {
  const response = await bot.post(
    cardAction(
      'meeting.create',
      {
        requestId: newId(),
        type: 'referensgrupp',
        name: 'Referensgrupp Västra',
        recurrence: 'dates',
        dates: '2027-01-12, 2027-02-09',
        startDate: '2026-12-01',
        time: '13:00',
        place: 'Teams',
        organisations: 'fk,region',
      },
      { serviceUrl: connector.url, from: anna, where },
    ),
  );
  const card = (response.body as { value: Record<string, unknown> }).value;
  expect(cardText(card)).toContain('är skapad');
  return actionData(card, 'agenda.open') as { meetingId: string; date: string };
}

async function fetchTask(html: string, where: Where, from: TestUser = erik) {
  const response = await bot.post(
    messageActionFetch(ADD_TO_AGENDA, messagePayload(html), {
      serviceUrl: connector.url,
      from,
      where,
    }),
  );
  expect(response.status).toBe(200);
  return response.body as DialogBody;
}

async function submit(
  data: unknown,
  where: Where,
  options: { from?: TestUser; html?: string; activity?: object } = {},
) {
  const activity =
    options.activity ??
    messageActionSubmit(
      ADD_TO_AGENDA,
      messagePayload(options.html ?? '<p>Ett meddelande</p>'),
      data as Record<string, unknown>,
      { serviceUrl: connector.url, from: options.from ?? erik, where },
    );
  const response = await bot.post(activity);
  await bot.idle();
  expect(response.status).toBe(200);
  return response.body as DialogBody;
}

/** The dialog's card, or a failure naming what came instead. */
function formOf(body: DialogBody): Record<string, unknown> {
  expect(body.task?.type).toBe('continue');
  const value = body.task!.value as { title: string; card: { content: Record<string, unknown> } };
  expect(value.title).toBe('Lägg till på dagordningen');
  return value.card.content;
}

function messageOf(body: DialogBody): string {
  expect(body.task?.type).toBe('message');
  return body.task!.value as string;
}

/** The inputs of a dialog card by id, with the values they are filled in with. */
function inputsOf(card: Record<string, unknown>): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const element of card.body as { id?: string; value?: unknown }[]) {
    if (element.id) inputs[element.id] = element.value;
  }
  return inputs;
}

/** What the form sends: its inputs and the Action.Submit's data, as Teams merges them. */
function sentFrom(card: Record<string, unknown>, changes: Record<string, unknown> = {}) {
  const submitData = (card.actions as { data: Record<string, unknown> }[])[0]!.data;
  return { ...inputsOf(card), ...submitData, ...changes };
}

const itemsOf = async (ref: { meetingId: string; date: string }) =>
  (await storedMeeting(storeFor(bot.tablePrefix), ref)).items;

/**
 * Every stored row of every table, as one JSON text, without the etag and timestamp the storage
 * service stamps on each row: its clock's seven-digit fractions of a second hold any four digits
 * now and then (a run once found "9876" in `…50.2987605Z`).
 */
async function everythingStored(): Promise<string> {
  const store = storeFor(bot.tablePrefix);
  const rows: unknown[] = [];
  for (const name of TABLE_NAMES) {
    for await (const { etag: _etag, timestamp: _timestamp, ...row } of store
      .client(name)
      .listEntities()) {
      rows.push(row);
    }
  }
  return JSON.stringify(rows);
}

/** Nothing stored holds the personnummer, in any spelling, or a part of it. */
async function expectNothingStored() {
  const stored = await everythingStored();
  expect(containsPersonalIdentityNumber(stored)).toBe(false);
  for (const digits of DIGITS) expect(stored).not.toContain(digits);
}

describe('the dialog is filled in from the message', () => {
  it('when a representative opens the action on a formatted message, then the form has its first line as heading and its text without markup', async () => {
    const where = channelWhere('prefill');
    const ref = await seriesIn(where);
    const html =
      '<div><p>Samverkan med <b>Försäkringskassan</b> &amp; AF – &quot;hur gör vi?&quot; 😀</p>' +
      '<p>Andra raden: åäö ÅÄÖ<br>tredje raden</p><ul><li>punkt ett</li></ul></div>';
    const card = formOf(await fetchTask(html, where));
    const inputs = inputsOf(card);
    expect(inputs.itemTitle).toBe('Samverkan med Försäkringskassan & AF – "hur gör vi?" 😀');
    expect(inputs.itemDescription).toBe(
      'Samverkan med Försäkringskassan & AF – "hur gör vi?" 😀\nAndra raden: åäö ÅÄÖ\ntredje raden\npunkt ett',
    );
    expect(String(inputs.itemDescription)).not.toMatch(/[<>]|&amp;|&quot;/);
    expect(inputs.occurrence).toBe(`${ref.meetingId}|${ref.date}`);
    expect(JSON.stringify(card)).toBe(JSON.stringify(card).normalize('NFC'));
    expect(cardText(card)).not.toContain('förkortad');
  });

  it('when the message is longer than an item holds, then heading and description are cut to the fields’ maximum and the form says so', async () => {
    const where = channelWhere('long');
    await seriesIn(where);
    const long = `${'Lång rubrik med å '.repeat(20)}<br>${'Beskrivning ä ö 🙂 '.repeat(200)}`;
    const card = formOf(await fetchTask(`<p>${long}</p>`, where));
    const inputs = inputsOf(card);
    const title = String(inputs.itemTitle);
    const description = String(inputs.itemDescription);
    expect(title.length).toBeLessThanOrEqual(150);
    expect(title.endsWith('…')).toBe(true);
    expect(description.length).toBeLessThanOrEqual(1000);
    expect(description.endsWith('…')).toBe(true);
    expect(description).not.toMatch(/[\uD800-\uDBFF]…$/);
    expect(cardText(card)).toContain('beskrivningen är förkortad');
  });

  it('when the action is used in the personal chat, then it says where it works', async () => {
    const text = messageOf(await fetchTask('<p>Hej</p>', { kind: 'personal' }));
    expect(text).toContain('fungerar i kanalen eller gruppchatten där mötena hålls');
  });

  it('when the channel has no coming meeting, then a clear Swedish message says how to create one', async () => {
    const text = messageOf(await fetchTask('<p>Hej</p>', channelWhere('no-series')));
    expect(text).toBe(
      'Det finns inget kommande möte här som tar emot punkter. En samordnare skapar en mötesserie med /möte ny.',
    );
  });
});

describe('the item is added to the next meeting', () => {
  it('when the filled-in form is sent, then the item is on the next meeting’s agenda', async () => {
    const where = channelWhere('submit');
    const ref = await seriesIn(where);
    const form = formOf(await fetchTask('<p>Remissvägar till psykiatrin</p>', where));
    const answer = messageOf(await submit(sentFrom(form, { itemMinutes: '15' }), where));
    expect(answer).toContain('Punkten är tillagd på dagordningen för Referensgrupp Västra');
    const agenda = await bot.post(
      cardAction('agenda.open', ref, { serviceUrl: connector.url, from: anna, where }),
    );
    const text = cardText((agenda.body as { value: unknown }).value);
    expect(text).toContain('§ 1 Remissvägar till psykiatrin');
    expect(text).toContain('1 punkt, 15 av 90 min');
    const items = await itemsOf(ref);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ authorId: erik.id, organisationId: 'fk' });
  });

  it('when the same submit is delivered twice, then there is one item and the second answer says so', async () => {
    const where = channelWhere('twice');
    const ref = await seriesIn(where);
    const form = formOf(await fetchTask('<p>Gemensam kartläggning</p>', where));
    const activity = messageActionSubmit(
      ADD_TO_AGENDA,
      messagePayload('<p>Gemensam kartläggning</p>'),
      sentFrom(form),
      { serviceUrl: connector.url, from: erik, where },
    );
    const [first, again] = await Promise.all([
      submit(undefined, where, { activity }),
      submit(undefined, where, { activity }),
    ]);
    const third = messageOf(await submit(undefined, where, { activity }));
    expect([messageOf(first), messageOf(again)].join('\n')).toContain('Punkten är tillagd');
    expect(third).toContain('Punkten fanns redan på dagordningen');
    expect(await itemsOf(ref)).toHaveLength(1);
  });

  it('when a member without a role, or an observatör, uses the action, then it is refused with who can help and nothing is stored', async () => {
    const where = channelWhere('no-rights');
    const ref = await seriesIn(where);
    const form = formOf(await fetchTask('<p>En fråga</p>', where));
    for (const person of [olle, oskar]) {
      const opened = messageOf(await fetchTask('<p>En fråga</p>', where, person));
      expect(opened).toContain('Bara samordnare och organisationernas representanter');
      expect(opened).toMatch(/Be (en|förbundets) administratör om rollen/);
      const sent = messageOf(await submit(sentFrom(form), where, { from: person }));
      expect(sent).toContain('Bara samordnare och organisationernas representanter');
    }
    expect(await itemsOf(ref)).toHaveLength(0);
  });
});

describe('personnummer and bad input', () => {
  it.each(PERSONNUMMER_FORMS)(
    'when the message holds a personnummer written %j, then the dialog refuses it in Swedish without echoing it and nothing is stored',
    async (number) => {
      const where = channelWhere('pnr');
      const ref = await seriesIn(where);
      const html = `<p>Gäller personen ${number}, behöver stöd</p>`;
      const opened = await fetchTask(html, where);
      const text = messageOf(opened);
      expect(text).toContain('verkar innehålla ett personnummer eller samordningsnummer');
      expect(text).toContain('Inget har sparats');
      const sent = await submit(
        {
          requestId: newId(),
          occurrence: `${ref.meetingId}|${ref.date}`,
          itemTitle: 'Stöd',
          itemMinutes: '10',
        },
        where,
        { html },
      );
      expect(messageOf(sent)).toContain('personnummer');
      for (const digits of DIGITS) {
        expect(JSON.stringify([opened, sent])).not.toContain(digits);
        expect(bot.logLines.join('\n')).not.toContain(digits);
      }
      await expectNothingStored();
      expect(await itemsOf(ref)).toHaveLength(0);
    },
  );

  it('when a personnummer is typed into the form, then the form comes back with that field emptied and the reason, and nothing is stored', async () => {
    const where = channelWhere('pnr-form');
    const ref = await seriesIn(where);
    const form = formOf(await fetchTask('<p>Stöd till en deltagare</p>', where));
    const body = await submit(
      sentFrom(form, { itemDescription: 'Gäller 811218–9876 som behöver stöd' }),
      where,
    );
    const again = formOf(body);
    expect(cardText(again)).toContain('verkar innehålla ett personnummer');
    expect(inputsOf(again).itemDescription).toBe('');
    expect(inputsOf(again).itemTitle).toBe('Stöd till en deltagare');
    for (const digits of DIGITS) expect(JSON.stringify(body)).not.toContain(digits);
    await expectNothingStored();
    expect(await itemsOf(ref)).toHaveLength(0);
  });

  it.each([
    ['no data at all', undefined],
    ['a text instead of the form', 'lägg till'],
    ['no request id', { occurrence: 'x|2027-01-12', itemTitle: 'Punkt' }],
    ['a request id that is not one', { requestId: '123', occurrence: 'x', itemTitle: 'Punkt' }],
    ['a meeting that is not one', { requestId: newId(), occurrence: '../../etc|igår' }],
    ['a field far too long', { requestId: newId(), occurrence: 'x', itemTitle: 'a'.repeat(5000) }],
  ])(
    'when the dialog sends %s, then the answer is a Swedish message or the form again and nothing changes',
    async (_what, data) => {
      const where = channelWhere('bad');
      const ref = await seriesIn(where);
      const body = await submit(data, where);
      const shown =
        body.task?.type === 'message' ? String(body.task.value) : cardText(formOf(body));
      expect(shown).toMatch(/Formuläret skickade ogiltiga uppgifter|Välj ett möte/);
      expect(await itemsOf(ref)).toHaveLength(0);
    },
  );

  it('when the heading is empty or the minutes are not a number, then the form comes back with what was written and nothing is stored', async () => {
    const where = channelWhere('form-errors');
    const ref = await seriesIn(where);
    const form = formOf(await fetchTask('<p>Arbetsträning</p>', where));
    const empty = formOf(await submit(sentFrom(form, { itemTitle: '   ' }), where));
    expect(cardText(empty)).toMatch(/rubrik/i);
    expect(inputsOf(empty).itemDescription).toBe('Arbetsträning');
    const minutes = formOf(await submit(sentFrom(form, { itemMinutes: 'femtonåtta' }), where));
    expect(cardText(minutes)).toMatch(/minut/i);
    expect(cardText(minutes)).not.toContain('femtonåtta');
    expect(await itemsOf(ref)).toHaveLength(0);
  });
});

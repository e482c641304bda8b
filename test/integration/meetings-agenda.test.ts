import { newId } from '../../src/ids.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meetingStore } from '../../src/storage/meeting-store.js';
import { cardAction, message, TENANT_ID, users, type TestUser } from '../support/activities.js';
import { actionData, allActionData } from '../support/card-actions.js';
import {
  cardOf,
  cardText,
  FakeConnector,
  type ReceivedActivity,
} from '../support/fake-connector.js';
import { storeFor } from '../support/table-snapshot.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { grantRoles } from '../support/grant-roles.js';

/**
 * The agenda as a shared, living card: the posted kallelse is updated in place after every
 * change and refreshes itself; authors edit their own items; bad input changes nothing;
 * cancelling a meeting carries its items over. Real HTTP endpoint, real Azurite, a hand-moved
 * clock.
 */
const sara: TestUser = {
  id: '29:sara',
  name: 'Sara Eskilstuna',
  aadObjectId: 'a0000000-0000-4000-8000-000000000004',
};
const olle: TestUser = {
  id: '29:olle',
  name: 'Olle Utan Roll',
  aadObjectId: 'a0000000-0000-4000-8000-000000000005',
};
const { anna, erik, maria } = users;
const channel = '19:levande-dagordning@thread.tacv2';
const where = { kind: 'channel' as const, conversationId: channel };

let clock = new Date('2026-12-01T08:00:00Z');
let connector: FakeConnector;
let bot: TestBot;

beforeAll(async () => {
  connector = await new FakeConnector().start();
  bot = await startTestBot(
    { ALLOWED_TENANT_IDS: TENANT_ID, BOOTSTRAP_ADMIN_IDS: anna.aadObjectId },
    { now: () => clock },
  );
  await grantRoles(bot, connector.url, [
    [erik, 'representant fk'],
    [maria, 'representant region'],
    [sara, 'representant eskilstuna'],
    [anna, 'samordnare forbundskansliet'],
  ]);
});

afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
});

const say = async (text: string, from: TestUser = anna) => {
  connector.clear();
  const response = await bot.post(message(text, { serviceUrl: connector.url, from, where }));
  expect(response.status).toBe(200);
  return connector.messages(channel);
};

/** A click, answered, with its follow-up (the posted cards brought up to date) done. */
const invoke = async (activity: object) => {
  const response = await bot.post(activity);
  await bot.idle();
  expect(response.status).toBe(200);
  const body = response.body as { type: string; value: Record<string, unknown> };
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  return body.value;
};

const click = (verb: string, data: Record<string, unknown>, from: TestUser = anna) =>
  invoke(cardAction(verb, data, { serviceUrl: connector.url, from, where }));

/** The updates (PUT) the bot made to one posted message since the connector was cleared. */
const updatesOf = (activityId: string): ReceivedActivity[] =>
  connector.received.filter((r) => r.method === 'PUT' && r.activityId === activityId);

/** Every audit entry of the series, read straight from its aggregate. */
const auditRows = () => meetingStore(storeFor(bot.tablePrefix)).audit(ref.meetingId);

/** The meeting form as a samordnare fills it in; each use is a new form (a new request id). */
const seriesForm = () => ({
  requestId: newId(),
  type: 'referensgrupp',
  name: 'Referensgrupp Norra',
  recurrence: 'dates',
  dates: '2027-01-12, 2027-02-09, 2027-03-09',
  startDate: '2026-12-01',
  time: '13:00',
  place: 'Teams',
  organisations: 'fk,region,kommun-eskilstuna',
});

let ref: { meetingId: string; date: string };
let kallelseId: string;
let kallelse: Record<string, unknown>;
const itemIds: Record<string, string> = {};

const agendaText = async () => cardText(await click('agenda.open', ref));

/** The item ids of a card in agenda order, keyed by their titles. */
function idsByTitle(card: Record<string, unknown>): Record<string, string> {
  const titles = [...cardText(card).matchAll(/^§ \d+ (.+)$/gm)].map((m) => m[1]!);
  const ids = allActionData(card, 'agenda.manage').map((d) => String(d.itemId));
  return Object.fromEntries(titles.map((title, index) => [title, ids[index]!]));
}

describe('a meeting series is only created with a sensible timetable', () => {
  it('when the item deadline would fall after the meeting starts, then the form says so and nothing is created', async () => {
    const card = await click('meeting.create', {
      ...seriesForm(),
      time: '09:00',
      deadlineDays: '0',
      agendaDays: '0',
    });
    expect(cardText(card)).toContain(
      'Sista dag för punkter (kl. 12:00) ligger efter mötets början',
    );
    expect(cardText(cardOf((await say('/möten'))[0]))).toContain('Inga möten är planerade här');
  });

  it('when the dagordning would go out before the item deadline, then the form says so and nothing is created', async () => {
    const card = await click('meeting.create', {
      ...seriesForm(),
      deadlineDays: '2',
      agendaDays: '2',
    });
    expect(cardText(card)).toContain('Dagordningen skulle skickas före sista dag för punkter');
    expect(cardText(cardOf((await say('/möten'))[0]))).toContain('Inga möten är planerade här');
  });

  it('when the deadline is set before the kallelse, then the form says so and nothing is created', async () => {
    const card = await click('meeting.create', { ...seriesForm(), deadlineDays: '8' });
    expect(cardText(card)).toContain('Sista dag för punkter måste ligga efter kallelsen');
    expect(cardText(cardOf((await say('/möten'))[0]))).toContain('Inga möten är planerade här');
  });

  it('when the name is empty or too long or holds a personnummer, then the form says so and nothing is created', async () => {
    const texts = await Promise.all(
      ['  ', 'R'.repeat(121), 'Möte om 19811218-9876'].map(async (name) =>
        cardText(await click('meeting.create', { ...seriesForm(), name })),
      ),
    );
    expect(texts[0]).toContain('Skriv ett namn på mötet.');
    expect(texts[1]).toContain('Namnet är för långt.');
    expect(texts[2]).toContain('personnummer');
    expect(texts[2]).not.toContain('19811218');
    expect(cardText(cardOf((await say('/möten'))[0]))).toContain('Inga möten är planerade här');
  });

  it('when a representative sends the series form, then it is refused and nothing is created', async () => {
    const card = await click('meeting.create', seriesForm(), erik);
    expect(cardText(card)).toContain('Bara samordnare');
    expect(cardText(cardOf((await say('/möten'))[0]))).toContain('Inga möten är planerade här');
  });

  it('when a samordnare creates a series of three meetings, then the first is listed and all three are planned', async () => {
    const card = await click('meeting.create', seriesForm());
    const text = cardText(card);
    expect(text).toContain('Mötesserien ”Referensgrupp Norra” är skapad');
    expect(text).toContain('tis 12 jan. 13:00');
    expect(
      cardText(
        await click('agenda.open', { ...actionData(card, 'agenda.open'), date: '2027-03-09' }),
      ),
    ).toContain('Kallelse · Referensgrupp');
    ref = actionData(card, 'agenda.open') as typeof ref;
    expect(ref.date).toBe('2027-01-12');
  });
});

describe('the kallelse stays current for everyone', () => {
  it('when the call time comes, then the kallelse is posted with a refresh for the samordnare', async () => {
    clock = new Date('2027-01-05T08:00:30Z');
    connector.clear();
    expect((await bot.scheduler.tick()).sent).toBe(1);
    const [posted] = connector.messages(channel);
    kallelse = cardOf(posted)!;
    kallelseId = posted!.responseId!;
    expect(cardText(kallelse)).toContain('Kallelse · Referensgrupp');
    expect(kallelse.refresh).toMatchObject({
      action: { type: 'Action.Execute', verb: 'agenda.open', data: ref },
      userIds: [anna.id],
    });
  });

  it('when a member adds an item, then the posted kallelse is updated in place for everyone, without that member’s notice', async () => {
    connector.clear();
    const answer = await click(
      'agenda.add',
      {
        ...ref,
        ...actionData(kallelse, 'agenda.add'),
        title: 'Gemensam kartläggning',
        category: 'forbattring',
        presenter: erik.name,
        minutes: '20',
      },
      erik,
    );
    expect(cardText(answer)).toContain('”Gemensam kartläggning” är tillagd på dagordningen.');
    expect(allActionData(answer, 'agenda.manage')).toHaveLength(1);

    const [update, ...more] = updatesOf(kallelseId);
    expect(more).toHaveLength(0);
    expect(update!.conversationId).toBe(channel);
    const shared = cardOf(update)!;
    expect(cardText(shared)).toContain('§ 1 Gemensam kartläggning');
    expect(cardText(shared)).not.toContain('är tillagd');
    expect(JSON.stringify(shared)).not.toContain('agenda.manage');
    const refresh = shared.refresh as { userIds: string[]; action: { verb: string } };
    expect(refresh.action.verb).toBe('agenda.open');
    expect(refresh.userIds[0]).toBe(anna.id);
    expect(refresh.userIds).toContain(erik.id);
    expect(refresh.userIds.length).toBeLessThanOrEqual(60);
  });

  it('when two members add different items from the same posted card, then both land', async () => {
    const { requestId } = actionData(kallelse, 'agenda.add');
    await Promise.all([
      click(
        'agenda.add',
        { ...ref, requestId, title: 'Remissvägar', category: 'fraga', minutes: '15' },
        maria,
      ),
      click(
        'agenda.add',
        { ...ref, requestId, title: 'Arbetsträning', category: 'information', minutes: '15' },
        sara,
      ),
    ]);
    const card = await click('agenda.open', ref);
    expect(cardText(card)).toContain('Remissvägar');
    expect(cardText(card)).toContain('Arbetsträning');
    expect(cardText(card)).toContain('3 punkter, 50 av 90 min');
    Object.assign(itemIds, idsByTitle(card));
  });

  it('when the same "move up" is delivered twice, then the item moves one place only', async () => {
    const card = await click('agenda.open', ref);
    const third = allActionData(card, 'agenda.manage')[2]!;
    const id = String(third.itemId);
    const title = Object.entries(idsByTitle(card)).find(([, itemId]) => itemId === id)![0];
    const manage = await click('agenda.manage', third);
    const data = allActionData(manage, 'agenda.item').find((d) => d.action === 'up')!;
    expect(data.number).toBe(3);
    expect(cardText(await click('agenda.item', data))).toContain('Ordningen är ändrad.');
    const again = cardText(await click('agenda.item', data));
    expect(again).toContain('Ordningen var redan ändrad.');
    expect(again).toContain(`§ 2 ${title}`);
  });

  it('when a viewer’s card refreshes itself, then it gets the current agenda as their own view and nothing is posted or updated', async () => {
    connector.clear();
    const refresh = cardAction('agenda.open', ref, {
      serviceUrl: connector.url,
      from: maria,
      where,
    });
    const card = await invoke({ ...refresh, value: { ...refresh.value, trigger: 'automatic' } });
    expect(cardText(card)).toMatch(/§ [23] Arbetsträning/);
    const buttons = (card.actions as { title: string }[]).map((a) => a.title);
    expect(buttons).toContain('Uppdatera');
    expect(buttons).not.toContain('Visa mina val');
    expect(connector.received).toHaveLength(0);
  });

  it('when /möte shows the agenda in the channel, then that copy refreshes itself for the samordnare and the authors', async () => {
    const [reply] = await say('/möte', sara);
    const refresh = cardOf(reply)!.refresh as { userIds: string[] };
    expect([...refresh.userIds].sort()).toEqual([anna.id, erik.id, maria.id, sara.id].sort());
  });

  it('when the samordnare reorders, changes a time box, or an author withdraws, then each change updates the posted kallelse', async () => {
    const change = async (data: Record<string, unknown>, from: TestUser = anna) => {
      connector.clear();
      const answer = await click('agenda.item', { ...ref, ...data }, from);
      expect(cardText(answer)).not.toMatch(/Bara samordnare|Du kan bara/);
      const [update] = updatesOf(kallelseId);
      expect(update).toBeDefined();
      return cardText(cardOf(update));
    };
    const first = itemIds['Gemensam kartläggning']!;
    expect(await change({ itemId: first, action: 'down' })).toContain('§ 2 Gemensam kartläggning');
    const remiss = itemIds.Remissvägar!;
    const overtime = await change({ itemId: remiss, action: 'timebox', minutes: '80' });
    expect(overtime).toContain('Punkterna tar längre tid än mötet');
    expect(overtime).toContain('3 punkter, 115 av 90 min');
    const arbete = itemIds.Arbetsträning!;
    const withdrawn = await change({ itemId: arbete, action: 'withdraw' }, sara);
    expect(withdrawn).not.toContain('Arbetsträning');
    expect(withdrawn).toContain('2 punkter, 100 av 90 min');
  });

  it('when a member without the right role tries to change the agenda, then they are told why and nothing changes', async () => {
    connector.clear();
    const before = await agendaText();
    const remiss = itemIds.Remissvägar!;
    const refused = [
      await click('agenda.item', { ...ref, itemId: remiss, action: 'down' }, erik),
      await click('agenda.item', { ...ref, itemId: remiss, action: 'withdraw' }, erik),
      await click(
        'agenda.add',
        { ...ref, requestId: newId(), title: 'Utan roll', category: 'fraga' },
        olle,
      ),
    ].map(cardText);
    expect(refused[0]).toContain('Bara samordnare kan göra det.');
    expect(refused[1]).toContain('Du kan bara dra tillbaka dina egna punkter.');
    expect(refused[2]).toContain('Bara samordnare och organisationernas representanter');
    expect(await agendaText()).toBe(before);
    expect(updatesOf(kallelseId)).toHaveLength(0);
  });

  it('when an item is added with an empty or oversized field, then the card says what is wrong and nothing changes', async () => {
    connector.clear();
    const before = await agendaText();
    const add = (fields: Record<string, unknown>) =>
      click('agenda.add', { ...ref, requestId: newId(), category: 'fraga', ...fields }, erik);
    expect(cardText(await add({ title: '   ' }))).toContain('Skriv en rubrik.');
    expect(cardText(await add({ title: 'x'.repeat(151) }))).toContain('Rubriken är för lång');
    expect(cardText(await add({ title: 'Ok', description: 'y'.repeat(1001) }))).toContain(
      'Beskrivningen är för lång',
    );
    expect(cardText(await add({ title: 'Ok', minutes: '500' }))).toContain(
      'Minuter: välj ett tal mellan 1 och 240.',
    );
    expect(await agendaText()).toBe(before);
    expect(updatesOf(kallelseId)).toHaveLength(0);
  });
});

describe('authors edit their own items', () => {
  it('when the author opens Ändra punkten, then a form filled in with the item comes up', async () => {
    const item = itemIds['Gemensam kartläggning']!;
    const form = await click('agenda.editForm', { ...ref, itemId: item }, erik);
    const text = cardText(form);
    expect(text).toContain('Ändra punkt');
    expect(text).toContain('Gemensam kartläggning');
    expect(actionData(form, 'agenda.edit')).toEqual({ ...ref, itemId: item });
  });

  it('when someone else opens the edit form, then they are told it is not theirs', async () => {
    const item = itemIds['Gemensam kartläggning']!;
    const card = await click('agenda.editForm', { ...ref, itemId: item }, maria);
    expect(cardText(card)).toContain('Du kan bara ändra dina egna punkter.');
    expect(cardText(card)).not.toContain('Spara ändringen');
  });

  it('when the author saves a change, then the agenda and the posted kallelse show it, and saving it again changes nothing', async () => {
    const item = itemIds['Gemensam kartläggning']!;
    const edit = {
      ...ref,
      itemId: item,
      title: 'Gemensam kartläggningsmall',
      description: 'Mallen från FK och kommunerna.',
      category: 'forBeslut',
      presenter: erik.name,
      minutes: '25',
    };
    connector.clear();
    const saved = cardText(await click('agenda.edit', edit, erik));
    expect(saved).toContain('”Gemensam kartläggningsmall” är ändrad.');
    expect(saved).toContain('Gemensam kartläggningsmall');
    expect(saved).toContain('För beslut · Erik Försäkringskassan · Försäkringskassan · 25 min');
    expect(saved).toContain('Mallen från FK och kommunerna.');
    const [update] = updatesOf(kallelseId);
    expect(cardText(cardOf(update))).toContain('Gemensam kartläggningsmall');

    connector.clear();
    const again = cardText(await click('agenda.edit', edit, erik));
    expect(again).toContain('Inget var ändrat i punkten.');
    expect(updatesOf(kallelseId)).toHaveLength(0);

    const edits = (await auditRows()).filter((row) => row.action === 'meetings.item.edit');
    expect(edits).toHaveLength(1);
    expect(edits[0]).toMatchObject({ actorId: erik.id, subjectId: ref.meetingId });
    expect(JSON.stringify(edits[0]!.details)).toContain(item);
    expect(JSON.stringify(edits)).not.toContain('kartläggning');
  });

  it('when an edit has an empty title, an oversized field or a personnummer, then the form says so and the item is unchanged', async () => {
    const item = itemIds['Gemensam kartläggning']!;
    const before = await agendaText();
    const edit = (fields: Record<string, unknown>) =>
      click(
        'agenda.edit',
        { ...ref, itemId: item, title: 'Ny rubrik', category: 'fraga', minutes: '10', ...fields },
        erik,
      );
    const empty = await edit({ title: '' });
    expect(cardText(empty)).toContain('Skriv en rubrik.');
    expect(actionData(empty, 'agenda.edit')).toMatchObject({ itemId: item });
    expect(cardText(await edit({ presenter: 'p'.repeat(121) }))).toContain(
      'Namnet på föredraganden är för långt.',
    );
    const personal = cardText(await edit({ description: 'Gäller 19811218-9876' }));
    expect(personal).toContain('personnummer');
    expect(personal).not.toContain('19811218');
    expect(await agendaText()).toBe(before);
  });

  it('when someone else sends an edit for an item, then it is refused and the item is unchanged', async () => {
    const item = itemIds['Gemensam kartläggning']!;
    const before = await agendaText();
    const card = await click(
      'agenda.edit',
      { ...ref, itemId: item, title: 'Kapad', category: 'fraga', minutes: '5' },
      maria,
    );
    expect(cardText(card)).toContain('Du kan bara ändra dina egna punkter.');
    expect(await agendaText()).toBe(before);
  });

  it('when the deadline has passed, then the author can no longer edit, the samordnare still can, and a late item is approved on the posted card', async () => {
    clock = new Date('2027-01-10T11:30:00Z');
    const item = itemIds['Gemensam kartläggning']!;
    const before = await agendaText();
    const edit = { ...ref, itemId: item, title: 'Sent ändrad', category: 'fraga', minutes: '20' };
    const refused = await click('agenda.edit', edit, erik);
    expect(cardText(refused)).toContain(
      'Sista dag för punkter har passerat. Kontakta samordnaren.',
    );
    expect(await agendaText()).toBe(before);

    expect(cardText(await click('agenda.edit', edit))).toContain('”Sent ändrad” är ändrad.');

    const late = await click(
      'agenda.add',
      { ...ref, requestId: newId(), title: 'Sen statistik', category: 'fraga' },
      maria,
    );
    expect(cardText(late)).toContain('väntar på samordnarens godkännande');
    expect(allActionData(late, 'agenda.manage')).toHaveLength(0);
    const lateId = idsByTitle(await click('agenda.open', ref))['Sen statistik']!;
    connector.clear();
    await click('agenda.item', { ...ref, itemId: lateId, action: 'approve' });
    const [update] = updatesOf(kallelseId);
    expect(cardText(cardOf(update))).toContain('Sen statistik');
    expect(cardText(cardOf(update))).not.toContain('väntar på samordnarens godkännande');
  });

  it('when the dagordning is out and the samordnare defers an item, then both posted cards are updated', async () => {
    clock = new Date('2027-01-11T08:00:10Z');
    connector.clear();
    await bot.scheduler.tick();
    const dagordning = connector
      .messages(channel)
      .find((m) => cardText(cardOf(m)).startsWith('Dagordning'));
    expect(dagordning).toBeDefined();
    const remiss = itemIds.Remissvägar!;
    connector.clear();
    const answer = await click('agenda.item', { ...ref, itemId: remiss, action: 'defer' });
    expect(cardText(answer)).toContain('Punkten är flyttad till mötet 2027-02-09.');
    expect(cardText(cardOf(updatesOf(kallelseId)[0]))).not.toContain('Remissvägar');
    expect(cardText(cardOf(updatesOf(dagordning!.responseId!)[0]))).not.toContain('Remissvägar');

    connector.clear();
    const resend = await click('agenda.final', ref);
    expect(cardText(resend)).toContain('Dagordningen i kanalen är uppdaterad.');
    expect(connector.received.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(updatesOf(dagordning!.responseId!)).toHaveLength(1);
  });
});

describe('moving and cancelling a meeting', () => {
  const february = () => ({ ...ref, date: '2027-02-09' });
  const march = () => ({ ...ref, date: '2027-03-09' });

  it('when a representative moves a meeting, or a samordnare moves one into the past or onto another meeting of the series, then it is refused and the list is unchanged', async () => {
    clock = new Date('2027-01-20T08:00:00Z');
    const before = cardText(cardOf((await say('/möten'))[0]));
    const byMember = await click(
      'meeting.move',
      { ...february(), [`toDate-${ref.meetingId}-2027-02-09`]: '2027-02-10' },
      erik,
    );
    expect(cardText(byMember)).toContain('Bara samordnare kan göra det.');
    const past = await click('meeting.move', {
      ...february(),
      [`toDate-${ref.meetingId}-2027-02-09`]: '2027-01-19',
    });
    expect(cardText(past)).toContain('Den nya tiden har redan passerat.');
    const onto = await click('meeting.move', {
      ...february(),
      [`toDate-${ref.meetingId}-2027-02-09`]: '2027-03-09',
    });
    expect(cardText(onto)).toContain('Serien har redan ett möte 2027-03-09. Välj en annan dag.');
    expect(cardText(cardOf((await say('/möten'))[0]))).toBe(before);
  });

  it('when a meeting with items is cancelled, then its items move to the next meeting marked as carried over and its reminders are cancelled', async () => {
    await click(
      'agenda.add',
      {
        ...february(),
        requestId: newId(),
        title: 'Uppföljning i februari',
        category: 'fraga',
      },
      erik,
    );
    const februaryAgenda = cardText(await click('agenda.open', february()));
    expect(februaryAgenda).toContain('Remissvägar');
    expect(februaryAgenda).toContain('Uppföljning i februari');
    const planned = (await bot.reminders.upcoming(channel)).map((r) => r.id);
    expect(planned).toContain(`mtg.${ref.meetingId}.2027-02-09.kallelse`);

    const byMember = await click('meeting.cancel', february(), erik);
    expect(cardText(byMember)).toContain('Bara samordnare kan göra det.');
    const wrongTarget = await click('meeting.cancel', {
      ...february(),
      [`moveTo-${ref.meetingId}-2027-02-09`]: '2027-02-01',
    });
    expect(cardText(wrongTarget)).toContain('ett senare möte i samma serie');
    expect(cardText(await click('agenda.open', february()))).toBe(februaryAgenda);

    const list = await say('/möten');
    const cancel = allActionData(cardOf(list[0]), 'meeting.cancel').find(
      (d) => d.date === '2027-02-09',
    );
    const cancelled = await click('meeting.cancel', cancel!);
    expect(cardText(cancelled)).toContain(
      'Mötet är inställt. 2 punkter är flyttade till mötet 2027-03-09.',
    );
    expect(cardText(cancelled)).toContain('Inställt');

    const marchAgenda = cardText(await click('agenda.open', march()));
    expect(marchAgenda).toContain('Remissvägar');
    expect(marchAgenda).toContain('Uppföljning i februari');
    expect(marchAgenda.match(/Flyttad från mötet 2027-02-09/g)).toHaveLength(2);

    const after = (await bot.reminders.upcoming(channel)).map((r) => r.id);
    expect(after.filter((id) => id.includes('2027-02-09'))).toEqual([]);
  });

  it('when a card from the cancelled meeting is used, then it is refused, nothing changes, and the old agenda says it is cancelled', async () => {
    const before = cardText(await click('agenda.open', march()));
    const card = await click(
      'agenda.add',
      { ...february(), requestId: newId(), title: 'För sent', category: 'fraga' },
      erik,
    );
    expect(cardText(card)).toContain('Mötet är inställt.');
    expect(cardText(await click('agenda.open', march()))).toBe(before);
    expect(cardText(await click('agenda.open', february()))).toContain(
      'Mötet är inställt. Punkterna är flyttade till nästa möte',
    );
  });

  it('when the same cancel is delivered again, then nothing moves twice', async () => {
    const before = cardText(await click('agenda.open', march()));
    const again = await click('meeting.cancel', february());
    expect(cardText(again)).toContain('Mötet är inställt.');
    expect(cardText(await click('agenda.open', march()))).toBe(before);
  });
});

describe('moving a meeting that has items', () => {
  it('when the samordnare moves a meeting, then its agenda keeps its items and shows the new time and item deadline', async () => {
    const march = { ...ref, date: '2027-03-09' };
    const before = cardText(await click('agenda.open', march));
    const moved = await click('meeting.move', {
      ...march,
      [`toDate-${ref.meetingId}-2027-03-09`]: '2027-03-10',
      [`toTime-${ref.meetingId}-2027-03-09`]: '14:00',
    });
    expect(cardText(moved)).toContain('Mötet är flyttat till 2027-03-10 kl. 14:00.');
    const after = cardText(await click('agenda.open', march));
    expect(after).toContain('onsdag 10 mars kl. 14:00');
    expect(after).toContain('måndag 8 mars kl. 12:00');
    expect(after).toContain('Uppföljning i februari');
    expect(after.replace(/^.*kl\. \d\d:\d\d.*$/gm, '')).toBe(
      before.replace(/^.*kl\. \d\d:\d\d.*$/gm, ''),
    );
  });
});

describe('help for the meeting commands', () => {
  it('when someone writes /möte hjälp, /möten hjälp or /uppgifter help, then the help for that command alone is shown', async () => {
    const möte = cardText(cardOf((await say('/möte hjälp', erik))[0]));
    expect(möte).toContain('/möte ny – skapa en mötesserie');
    expect(möte).not.toContain('/roller');
    const möten = cardText(cardOf((await say('/moten hjalp', erik))[0]));
    expect(möten).toContain('Listar kommande möten här.');
    expect(möten).not.toContain('/möte ny');
    const uppgifter = cardText(cardOf((await say('/uppgifter help', erik))[0]));
    expect(uppgifter).toContain('Visar öppna uppgifter');
    expect(uppgifter).not.toContain('/möten');
  });
});

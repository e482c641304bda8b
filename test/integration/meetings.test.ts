import { newId } from '../../src/ids.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAction, message, TENANT_ID, users, type TestUser } from '../support/activities.js';
import { actionData, allActionData } from '../support/card-actions.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { elementIdFor } from '../../src/meetings/series/rules.js';

/**
 * A whole referensgrupp cycle through the real HTTP endpoint and real Azurite, with the clock
 * moved forward by hand: series → kallelse → items from three organisations (one late, one
 * double-clicked) → final agenda → decisions and action items → minutes → carry-over.
 */
const sara: TestUser = {
  id: '29:sara',
  name: 'Sara Eskilstuna',
  aadObjectId: 'a0000000-0000-4000-8000-000000000004',
};
const admin = users.anna;
const channel = '19:referensgrupp-cykel@thread.tacv2';
const where = { kind: 'channel' as const, conversationId: channel };

let clock = new Date('2026-11-23T08:00:00Z');
let connector: FakeConnector;
let bot: TestBot;

beforeAll(async () => {
  connector = await new FakeConnector().start();
  bot = await startTestBot(
    { ALLOWED_TENANT_IDS: TENANT_ID, BOOTSTRAP_ADMIN_IDS: admin.aadObjectId },
    { now: () => clock },
  );
  // Personal chats, so the bot can reach people directly.
  for (const user of [admin, users.erik, users.maria, sara]) {
    await bot.post(message('/hjälp', { serviceUrl: connector.url, from: user }));
  }
  for (const grant of [
    `/roller ge <at>${users.erik.name}</at> representant fk`,
    `/roller ge <at>${users.maria.name}</at> representant region`,
    `/roller ge <at>${sara.name}</at> representant eskilstuna`,
    `/roller ge <at>${admin.name}</at> samordnare forbundskansliet`,
  ]) {
    const mentioned = [users.erik, users.maria, sara, admin].filter((u) => grant.includes(u.name));
    const response = await bot.post(
      message(grant, { serviceUrl: connector.url, mention: mentioned }),
    );
    expect(response.status).toBe(200);
  }
});

afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
});

const say = async (text: string, from: TestUser = admin) => {
  connector.clear();
  const response = await bot.post(message(text, { serviceUrl: connector.url, from, where }));
  expect(response.status).toBe(200);
  return connector.messages(channel);
};

const click = async (verb: string, data: Record<string, unknown>, from: TestUser = admin) => {
  const response = await bot.post(
    cardAction(verb, data, { serviceUrl: connector.url, from, where }),
  );
  await bot.idle();
  expect(response.status).toBe(200);
  const body = response.body as { type: string; value: Record<string, unknown> };
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  return body.value;
};

const tick = () => bot.scheduler.tick();
let kallelse: Record<string, unknown>;
let minutesPostId: string;
let ref: { meetingId: string; date: string };

describe('a referensgrupp from series to minutes', () => {
  it('when a non-samordnare asks for /möte ny, then it is refused and no form is shown', async () => {
    const replies = await say('/möte ny', users.erik);
    expect(replies.map((r) => r.body.text).join()).toContain('Bara samordnare');
    expect(cardOf(replies[0])).toBeUndefined();
  });

  it('when the form has a date in the past, then it comes back with the values kept and a Swedish error', async () => {
    const [form] = await say('/möte ny');
    const { requestId } = actionData(cardOf(form), 'meeting.create');
    const card = await click('meeting.create', {
      requestId,
      type: 'referensgrupp',
      name: 'Referensgrupp Sikta',
      recurrence: 'dates',
      dates: '2026-12-08, 2027-01-12',
      startDate: '2026-11-01',
      time: '09:00',
      place: 'Teams',
      organisations: 'fk,region,kommun-eskilstuna',
    });
    expect(cardText(card)).toContain('Startdatumet har redan passerat');
    expect(cardText(card)).toContain('Referensgrupp Sikta');
  });

  it('when a samordnare creates a series (with a double click), then it is created once and its kallelse, deadline and agenda reminders are planned', async () => {
    const [form] = await say('/möte ny');
    const { requestId } = actionData(cardOf(form), 'meeting.create');
    const filledIn = {
      requestId,
      type: 'referensgrupp',
      name: 'Referensgrupp Sikta',
      recurrence: 'dates',
      dates: '2026-12-08, 2027-01-12',
      startDate: '2026-11-23',
      time: '09:00',
      place: 'Teams',
      organisations: 'fk,region,kommun-eskilstuna',
      holidayPolicy: 'nextWorkday',
      summerBreak: 'true',
    };
    const [card, twice] = await Promise.all([
      click('meeting.create', filledIn),
      click('meeting.create', filledIn),
    ]);
    const text = cardText(card);
    expect([text, cardText(twice)].join()).toContain('Mötesserien ”Referensgrupp Sikta” är skapad');
    expect([text, cardText(twice)].join()).toContain(
      'Mötesserien ”Referensgrupp Sikta” finns – formuläret kom fram mer än en gång, men serien skapades bara en gång.',
    );
    const listed = cardText(cardOf((await say('/möten'))[0]));
    expect(listed.match(/^Referensgrupp Sikta$/gm)).toHaveLength(2);
    expect(text).toContain('tis 8 dec. 09:00');
    expect(text).toContain('tis 12 jan. 09:00');
    ref = actionData(card, 'agenda.open') as typeof ref;
    expect(ref.date).toBe('2026-12-08');

    const planned = await bot.reminders.upcoming(channel);
    // The item deadline (two days before, a Sunday) moves to the Friday before.
    expect(planned.map((r) => [r.kind, r.dueAt])).toEqual([
      ['kallelse', '2026-12-01T08:00:00.000Z'],
      ['agendaDeadline', '2026-12-04T08:00:00.000Z'],
      ['finalAgenda', '2026-12-07T08:00:00.000Z'],
    ]);
    expect(planned[1]!.text).toContain('flyttad från söndag 6 december (helg)');
  });

  it('when the call time comes, then the kallelse is posted once as the live agenda card', async () => {
    clock = new Date('2026-12-01T08:00:30Z');
    connector.clear();
    const report = await tick();
    expect(report.sent).toBe(1);
    expect((await tick()).sent).toBe(0);
    const posted = connector.messages(channel);
    expect(posted).toHaveLength(1);
    kallelse = cardOf(posted[0])!;
    expect(cardText(kallelse)).toContain('Kallelse · Referensgrupp');
    expect(cardText(kallelse)).toContain('Inga punkter ännu');
    expect(actionData(kallelse, 'agenda.add')).toMatchObject(ref);
  });

  it('when three organisations add items and one is double-clicked, then each item is there once with its organisation', async () => {
    const add = (from: TestUser, title: string, requestId: string, minutes = '15') =>
      click(
        'agenda.add',
        {
          ...ref,
          requestId,
          title,
          description: '',
          category: 'fraga',
          presenter: from.name,
          minutes,
        },
        from,
      );
    const erikRequest = newId();
    await add(users.erik, 'Gemensam kartläggning', erikRequest);
    const again = await add(users.erik, 'Gemensam kartläggning', erikRequest);
    expect(cardText(again)).toContain('Punkten fanns redan');
    await add(users.maria, 'Remissvägar från psykiatrin', newId());
    const card = await add(sara, 'Arbetsträning i kommunen', newId(), '20');
    const text = cardText(card);
    expect(text.match(/Gemensam kartläggning/g)).toHaveLength(1);
    expect(text).toContain('§ 1 Gemensam kartläggning');
    expect(text).toContain('Försäkringskassan');
    expect(text).toContain('Region (Psykiatrin)');
    expect(text).toContain('Eskilstuna kommun');
    expect(text).toContain('3 punkter, 50 av 90 min');
    expect(text).toContain('fredag 4 december kl. 12:00, flyttad från söndag 6 december (helg)');
  });

  it('when two items are added at the same moment, then both land (no lost update)', async () => {
    const cards = await Promise.all(
      ['A', 'B'].map((letter) =>
        click('agenda.add', {
          ...ref,
          requestId: newId(),
          title: `Samtidig punkt ${letter}`,
          category: 'information',
          minutes: '5',
        }),
      ),
    );
    const final = await click('agenda.open', ref);
    expect(cardText(final)).toContain('Samtidig punkt A');
    expect(cardText(final)).toContain('Samtidig punkt B');
    expect(cards).toHaveLength(2);
  });

  it('when an item contains a personnummer, then it is refused and the agenda is unchanged', async () => {
    const card = await click(
      'agenda.add',
      { ...ref, requestId: newId(), title: 'Ärende 19811218-9876', category: 'fraga' },
      users.erik,
    );
    expect(cardText(card)).toContain('personnummer');
    expect(cardText(card)).not.toContain('19811218');
  });

  it('when an item is added after the deadline, then it waits for approval, and the samordnare approves it', async () => {
    clock = new Date('2026-12-06T13:00:00Z');
    const late = await click(
      'agenda.add',
      {
        ...ref,
        requestId: newId(),
        title: 'Sen fråga om statistik',
        category: 'fraga',
        minutes: '5',
      },
      users.maria,
    );
    expect(cardText(late)).toContain('väntar på samordnarens godkännande');
    // After the deadline the author has no Hantera choice left on their own item.
    expect(allActionData(late, 'agenda.manage')).toHaveLength(0);
    const coordinatorAgenda = await click('agenda.open', ref);
    const lateItem = String(allActionData(coordinatorAgenda, 'agenda.manage').at(-1)!.itemId);
    // The author sees no Godkänn on the item; the samordnare does.
    const ownView = await click('agenda.manage', { ...ref, itemId: lateItem }, users.maria);
    expect(cardText(ownView)).not.toContain('Godkänn');
    const coordinatorView = await click('agenda.manage', { ...ref, itemId: lateItem });
    expect(actionData(coordinatorView, 'agenda.item')).toMatchObject({ action: 'approve' });
    // Refused for the representative, allowed for the samordnare.
    const refused = await click(
      'agenda.item',
      { ...ref, itemId: lateItem, action: 'approve' },
      users.maria,
    );
    expect(cardText(refused)).toContain('Bara samordnare');
    const approved = await click('agenda.item', { ...ref, itemId: lateItem, action: 'approve' });
    expect(cardText(approved)).toContain('Punkten är godkänd');
    expect(cardText(approved)).not.toContain('väntar på samordnarens godkännande');
  });

  it('when the agenda time comes, then the dagordning is posted numbered with start times', async () => {
    clock = new Date('2026-12-07T08:00:10Z');
    connector.clear();
    expect((await tick()).sent).toBeGreaterThanOrEqual(1);
    const dagordning = connector
      .messages(channel)
      .map((m) => cardOf(m))
      .find((c) => cardText(c).startsWith('Dagordning'));
    const text = cardText(dagordning);
    expect(text).toContain('09:00');
    expect(text).toContain('§ 1 Gemensam kartläggning');
    expect(text).toContain('09:15');
    expect(text).toContain('Sen fråga om statistik');
  });

  let run: Record<string, unknown>;
  it('when the meeting runs, then attendance, a decision and an action item are recorded once, and the owner gets a reminder in their own chat', async () => {
    clock = new Date('2026-12-08T08:05:00Z');
    run = await click('meeting.run', ref);
    expect(cardText(run)).toContain('Mötet pågår');
    run = await click('meeting.attendance', { ...ref, attendance: 'fk,kommun-eskilstuna' });
    expect(cardText(run)).toContain('Saknas: Region (Psykiatrin)');

    const form = await click('meeting.recordForm', actionData(run, 'meeting.recordForm'));
    const record = actionData(form, 'meeting.recordItem') as { itemId: string; requestId: string };
    const data = {
      ...ref,
      ...record,
      notes: 'Genomgång av kartläggningsmallen.',
      decision: 'Mallen används från januari.',
      actionWhat: 'Skicka ut mallen',
      actionOwner: users.erik.id,
      actionDue: '2026-12-15',
    };
    const personal = await click('meeting.recordItem', { ...data, notes: 'Gäller 19811218-9876.' });
    expect(cardText(personal)).toContain('personnummer');
    expect(cardText(personal)).not.toContain('19811218');
    // The form comes back with what was typed, the refused field emptied.
    expect(actionData(personal, 'meeting.recordItem')).toMatchObject({ itemId: record.itemId });
    expect(JSON.stringify(personal)).toContain('Mallen används från januari.');
    const byMember = await click('meeting.recordItem', data, users.erik);
    expect(cardText(byMember)).toContain('Bara samordnare');
    const pastDue = await click('meeting.recordItem', { ...data, actionDue: '2026-12-01' });
    expect(cardText(pastDue)).toContain('Datumet för uppgiften har redan passerat.');
    expect(cardText(await click('meeting.run', ref))).not.toContain(
      'Beslut: Mallen används från januari',
    );
    await click('meeting.recordItem', data);
    run = await click('meeting.recordItem', data);
    expect(cardText(run).match(/Beslut: Mallen används från januari/g)).toHaveLength(1);
    expect(cardText(run)).toContain('(Beslutat av Anna Samordnare, tis 8 dec. 09:05)');

    const tasks = await say('/uppgifter');
    const taskText = cardText(cardOf(tasks[0]));
    expect(taskText.match(/Skicka ut mallen/g)).toHaveLength(1);
    expect(taskText).toContain('Erik Försäkringskassan');

    const ownerReminders = await bot.reminders.upcoming(`a:personal-${users.erik.id}`);
    expect(ownerReminders.map((r) => [r.kind, r.dueAt, r.title, r.id])).toEqual([
      [
        'actionItemDue',
        '2026-12-14T08:00:00.000Z',
        'Skicka ut mallen',
        `task.${ref.meetingId}.2026-12-08.${elementIdFor(admin.id, record.requestId)}`,
      ],
    ]);
  });

  it('when the meeting is closed, then the minutes card is posted, Markdown goes to the samordnare, and unhandled items move on', async () => {
    connector.clear();
    const minutes = await click('meeting.close', ref);
    const text = cardText(minutes);
    expect(text).toContain('Minnesanteckningar');
    expect(text).toContain('Mallen används från januari');
    expect(text).toContain('Skicka ut mallen – Erik Försäkringskassan, klar senast 2026-12-15');
    expect(text).toContain('Flyttas till nästa möte');
    expect(text).toContain('Remissvägar från psykiatrin');
    expect(text).toContain('Minnesanteckningarna är skickade till kanalen.');
    expect(text).toContain('Minnesanteckningarna i Markdown skickas till din chatt med boten.');
    const updates = connector.received.filter((r) => r.method === 'PUT').map((r) => cardOf(r));
    const kallelseUpdate = updates.find((card) => cardText(card).includes('Kallelse ·'));
    expect(cardText(kallelseUpdate)).toContain('Mötet är avslutat.');
    const markdown = connector.messages(`a:personal-${admin.id}`).map((m) => m.body.text ?? '');
    expect(markdown.join()).toContain('# Minnesanteckningar: Referensgrupp Sikta');
    const posted = connector.messages(channel).filter((m) => m.method === 'POST');
    expect(posted).toHaveLength(1);
    expect(cardText(cardOf(posted[0]))).toMatch(/^Minnesanteckningar/);
    minutesPostId = posted[0]!.responseId!;

    connector.clear();
    const again = await click('meeting.close', ref);
    expect(cardText(again)).toContain('Mötet var redan avslutat');
    expect(connector.messages()).toHaveLength(0);

    const next = await click('agenda.open', { ...ref, date: '2027-01-12' });
    const nextText = cardText(next);
    expect(nextText).toContain('Remissvägar från psykiatrin');
    expect(nextText).toContain('Flyttad från mötet 2026-12-08');
    expect(nextText).not.toContain('Gemensam kartläggning');
  });

  it('when a decision is corrected, then both the original and the correction are shown with who and when, also on the posted minutes', async () => {
    connector.clear();
    const minutes = await click('meeting.minutes', ref);
    const correct = actionData(minutes, 'meeting.correctDecision') as {
      decisionId: string;
      requestId: string;
    };
    const corrected = await click('meeting.correctDecision', {
      ...ref,
      ...correct,
      [`correction-${correct.decisionId}`]: 'Mallen används från februari.',
    });
    const text = cardText(corrected);
    expect(text).toContain('Beslut: Mallen används från januari.');
    expect(text).toContain('Rättelse: Mallen används från februari.');
    expect(text).toMatch(/Rättat av Anna Samordnare/);
    const update = connector.received.find(
      (r) => r.method === 'PUT' && r.activityId === minutesPostId,
    );
    expect(cardText(cardOf(update))).toContain('Rättelse: Mallen används från februari.');
    expect(cardText(cardOf(update))).toContain('Beslut: Mallen används från januari.');
  });

  it('when a card from the closed meeting is used to add an item, move or cancel it, then it is refused and nothing changes', async () => {
    const card = await click(
      'agenda.add',
      { ...ref, requestId: newId(), title: 'För sent', category: 'fraga' },
      users.erik,
    );
    expect(cardText(card)).toContain('Mötet är redan avslutat');
    expect(cardText(card)).not.toContain('”För sent” är tillagd');

    const moved = await click('meeting.move', {
      ...ref,
      [`toDate-${ref.meetingId}-${ref.date}`]: '2026-12-20',
    });
    expect(cardText(moved)).toContain('Mötet är redan avslutat');
    const cancelled = await click('meeting.cancel', ref);
    expect(cardText(cancelled)).toContain('Mötet är redan avslutat och kan inte ställas in.');
    const minutes = cardText(await click('meeting.run', ref));
    expect(minutes).toMatch(/^Minnesanteckningar/);
    expect(minutes).toContain('tisdag 8 december kl. 09:00');
  });

  it('when an occurrence with items is cancelled, then the items move to the next meeting', async () => {
    const card = await click('meeting.cancel', { ...ref, date: '2027-01-12' });
    expect(cardText(card)).toContain('det finns inget senare möte');
  });
});

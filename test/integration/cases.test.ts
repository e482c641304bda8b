import { newId } from '../../src/ids.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAction, message, TENANT_ID, users, type TestUser } from '../support/activities.js';
import { actionData } from '../support/card-actions.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

/**
 * The ärendekö through the real HTTP endpoint and real Azurite, with an injected clock: a
 * psykiatri-avstämning series, cases from FK, Psykiatrin and a kommun, planning, presentation,
 * decisions (also two at once), the waiting list, carry-over, who sees what, the audit log and
 * gallring with registerutdrag and erasure.
 */
const sara: TestUser = {
  id: '29:sara',
  name: 'Sara Eskilstuna',
  aadObjectId: 'a0000000-0000-4000-8000-000000000004',
};
const bo: TestUser = {
  id: '29:bo',
  name: 'Bo Samordnare',
  aadObjectId: 'a0000000-0000-4000-8000-000000000005',
};
const leila: TestUser = {
  id: '29:leila',
  name: 'Leila Coach',
  aadObjectId: 'a0000000-0000-4000-8000-000000000006',
};
const admin = users.anna;
const erik = users.erik;
const maria = users.maria;
const channel = '19:psykiatri-avstamning@thread.tacv2';
const where = { kind: 'channel' as const, conversationId: channel };
const personalOf = (user: TestUser) => `a:personal-${user.id}`;
const adminPrincipal = {
  userId: admin.id,
  tenantId: TENANT_ID,
  roles: ['admin' as const],
  configuredAdmin: true,
};
const REASON_FK = 'Långvarig sjukskrivning, behöver stöd mot arbetsträning';

let clock = new Date('2026-11-23T08:00:00Z');
let connector: FakeConnector;
let bot: TestBot;

beforeAll(async () => {
  connector = await new FakeConnector().start();
  bot = await startTestBot(
    { ALLOWED_TENANT_IDS: TENANT_ID, BOOTSTRAP_ADMIN_IDS: admin.aadObjectId },
    { now: () => clock },
  );
  for (const user of [admin, erik, maria, sara, bo, leila]) {
    await bot.post(message('/hjälp', { serviceUrl: connector.url, from: user }));
  }
  for (const [user, rest] of [
    [erik, 'representant fk'],
    [maria, 'representant region'],
    [sara, 'representant eskilstuna'],
    [admin, 'samordnare forbundskansliet'],
    [bo, 'samordnare forbundskansliet'],
    [leila, 'coach eskilstuna'],
  ] as const) {
    const response = await bot.post(
      message(`/roller ge <at>${user.name}</at> ${rest}`, {
        serviceUrl: connector.url,
        mention: [user],
      }),
    );
    expect(response.status).toBe(200);
  }
  const [form] = await say('/möte ny');
  const { requestId } = actionData(cardOf(form), 'meeting.create');
  const created = await click('meeting.create', {
    requestId,
    type: 'psykiatri',
    name: 'Psykiatri-avstämning',
    recurrence: 'dates',
    dates: '2026-12-08, 2027-01-12',
    startDate: '2026-11-23',
    time: '09:00',
    place: 'Teams',
    organisations: 'fk,region,kommun-eskilstuna',
  });
  expect(cardText(created)).toContain('är skapad');
});

afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
});

async function say(text: string, from: TestUser = admin, inChannel = true) {
  connector.clear();
  const response = await bot.post(
    message(text, { serviceUrl: connector.url, from, ...(inChannel ? { where } : {}) }),
  );
  expect(response.status).toBe(200);
  return connector.messages(inChannel ? channel : personalOf(from));
}

const replyText = async (text: string, from: TestUser = admin, inChannel = true) =>
  (await say(text, from, inChannel)).map((m) => m.body.text ?? cardText(cardOf(m))).join('\n');

async function click(verb: string, data: Record<string, unknown>, from: TestUser = admin) {
  const response = await bot.post(
    cardAction(verb, data, { serviceUrl: connector.url, from, where }),
  );
  expect(response.status).toBe(200);
  const body = response.body as { type: string; value: Record<string, unknown> };
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  return body.value;
}

async function submit(from: TestUser, fields: Record<string, string>, requestId?: string) {
  const [form] = await say('/ärenden ny', from);
  const data = actionData(cardOf(form), 'cases.submit');
  return click(
    'cases.submit',
    {
      requestId: requestId ?? data.requestId,
      request: 'insats',
      insats: 'Sikta mot arbetslivet',
      urgency: 'normal',
      preferredMeetingId: 'nasta',
      consent: 'true',
      ...fields,
    },
    from,
  );
}

const codeIn = (card: unknown) => /Ä-\d{4}-\d{4}/.exec(cardText(card))?.[0] ?? '';
let fkCode = '';
let kommunCode = '';

describe('submitting a case', () => {
  it('when a representative submits without samtycke, then it is refused and nothing is stored', async () => {
    const card = await submit(erik, { reason: REASON_FK, consent: 'false' });
    expect(cardText(card)).toContain('utan att personens samtycke');
    expect(cardText(card)).toContain('Anmäl ärende');
    expect(cardText(await cardOf((await say('/ärenden'))[0]))).toContain('Inga öppna ärenden');
  });

  it('when the text holds a personnummer, then it is refused, not echoed and nothing is stored', async () => {
    const card = await submit(erik, { reason: 'Gäller 19811218-9876, behöver stöd' });
    expect(cardText(card)).toContain('personnummer');
    expect(JSON.stringify(card)).not.toContain('19811218');
    expect(cardText(cardOf((await say('/ärenden'))[0]))).toContain('Inga öppna ärenden');
    expect(bot.logLines.join('\n')).not.toContain('19811218');
  });

  it('when a coach without the representative role asks for the form, then it is refused', async () => {
    expect(await replyText('/ärenden ny', leila)).toContain(
      'Bara organisationernas representanter',
    );
  });

  it('when FK submits with consent, then a pseudonymous code is issued, and a re-delivered submit returns the same case', async () => {
    const [form] = await say('/ärenden ny', erik);
    const { requestId } = actionData(cardOf(form), 'cases.submit');
    const fields = {
      requestId,
      reason: REASON_FK,
      request: 'insats',
      insats: 'Sikta mot arbetslivet',
      urgency: 'skyndsam',
      preferredMeetingId: 'nasta',
      consent: 'true',
    };
    const first = await click('cases.submit', fields, erik);
    fkCode = codeIn(first);
    expect(fkCode).toMatch(/^Ä-2026-\d{4}$/);
    expect(cardText(first)).toContain(`anmält med koden ${fkCode}`);
    expect(cardText(first)).toContain('Försäkringskassan');
    expect(cardText(first)).not.toContain(REASON_FK);
    const again = await click('cases.submit', fields, erik);
    expect(cardText(again)).toContain(`fanns redan med koden ${fkCode}`);
  });

  it('when a kommun submits, and two more arrive at the same moment, then every case gets its own code', async () => {
    kommunCode = codeIn(
      await submit(sara, {
        reason: 'Behöver arbetsträning i kommunens regi',
        request: 'arbetstraning',
        insats: '',
      }),
    );
    expect(kommunCode).toMatch(/^Ä-2026-\d{4}$/);
    const [formA] = await say('/ärenden ny', maria);
    const [formB] = await say('/ärenden ny', erik);
    const cards = await Promise.all([
      click(
        'cases.submit',
        { ...base(actionData(cardOf(formA), 'cases.submit')), reason: 'Samtidigt A' },
        maria,
      ),
      click(
        'cases.submit',
        { ...base(actionData(cardOf(formB), 'cases.submit')), reason: 'Samtidigt B' },
        erik,
      ),
    ]);
    const codes = [fkCode, kommunCode, ...cards.map(codeIn)];
    expect(new Set(codes).size).toBe(4);
    expect(codes.every((code) => /^Ä-2026-\d{4}$/.test(code))).toBe(true);
  });
});

function base(data: Record<string, unknown>) {
  return {
    requestId: data.requestId,
    request: 'insats',
    insats: 'Sikta mot arbetslivet',
    urgency: 'normal',
    preferredMeetingId: 'nasta',
    consent: 'true',
  };
}

describe('submitting from the meeting’s card', () => {
  it('when a representative presses Anmäl ärende on the kallelse, then the form comes with that meeting chosen and a way back, and the case is submitted for it', async () => {
    const before = (await bot.cases.openQueue(channel, {})).cases.length;
    const [commandForm] = await say('/ärenden ny', erik);
    const choice =
      /"title":"Psykiatri-avstämning \(nästa (\d{4}-\d{2}-\d{2})\)","value":"([^"]+)"/.exec(
        JSON.stringify(cardOf(commandForm)),
      )!;
    const occurrence = { series: { id: choice[2]! }, planned: { date: choice[1]! } };
    const form = await click(
      'cases.new',
      { meetingId: occurrence.series.id, date: occurrence.planned.date },
      erik,
    );
    expect(cardText(form)).toContain('Försäkringskassan');
    expect(JSON.stringify(form)).toContain(`"value":"${occurrence.series.id}"`);
    const back = actionData(form, 'agenda.open');
    expect(back).toEqual({ meetingId: occurrence.series.id, date: occurrence.planned.date });

    const submitted = await click(
      'cases.submit',
      {
        ...actionData(form, 'cases.submit'),
        reason: 'Behöver samordnat stöd från flera håll',
        request: 'insats',
        insats: 'Sikta mot arbetslivet',
        urgency: 'normal',
        preferredMeetingId: occurrence.series.id,
        consent: 'true',
      },
      erik,
    );
    const code = codeIn(submitted);
    expect(code).toMatch(/^Ä-\d{4}-\d{4}$/);
    expect(actionData(submitted, 'agenda.open')).toEqual(back);
    const stored = await bot.cases.summary(code);
    expect(stored.value.preferredMeetingId).toBe(occurrence.series.id);
    expect((await bot.cases.openQueue(channel, {})).cases.length).toBe(before + 1);

    const refused = await click(
      'cases.new',
      { meetingId: occurrence.series.id, date: occurrence.planned.date },
      leila,
    );
    expect(cardText(refused)).toContain('Bara organisationernas representanter');
    const bad = await click('cases.new', { meetingId: occurrence.series.id, date: '2026-02-30' });
    expect(cardText(bad)).not.toContain('Anmäl ärendet');
  });
});

describe('who sees what', () => {
  it('when the queue is listed in the channel, then it shows code, status, organisation and meeting, never the reason', async () => {
    const card = cardOf((await say('/ärenden', erik))[0]);
    const text = cardText(card);
    expect(text).toContain(fkCode);
    expect(text).toContain(kommunCode);
    expect(text).toContain('Inkommen (5)');
    expect(text).toContain('Eskilstuna kommun');
    expect(JSON.stringify(card)).not.toContain(REASON_FK);
    expect(JSON.stringify(card)).not.toContain('arbetsträning i kommunens regi');
  });

  it('when the referring organisation asks for details in the channel, then the channel gets the card without them and the asker’s own view shows them in place', async () => {
    connector.clear();
    await bot.post(
      message(`/arenden visa ${fkCode}`, { serviceUrl: connector.url, from: erik, where }),
    );
    const [posted] = connector.messages(channel);
    const card = cardOf(posted)!;
    expect(JSON.stringify(card)).not.toContain(REASON_FK);
    expect(cardText(card)).toContain('visas i kortet för dig');
    const refresh = card.refresh as { userIds: string[]; action: { verb: string } };
    expect(refresh.userIds[0]).toBe(erik.id);
    expect(refresh.userIds).toEqual(expect.arrayContaining([admin.id, bo.id]));
    expect(refresh.userIds).not.toContain(maria.id);
    expect(connector.messages(personalOf(erik))).toHaveLength(0);
    const response = await bot.post(
      cardAction(
        refresh.action.verb,
        { code: fkCode },
        {
          serviceUrl: connector.url,
          from: erik,
          where,
          trigger: 'automatic',
          replyToId: posted!.responseId!,
        },
      ),
    );
    const own = cardText((response.body as { value: unknown }).value);
    expect(own).toContain(REASON_FK);
    expect(own).toContain('Samtycke till informationsutbyte finns');
  });

  it('when another organisation or a coach asks for the details, then they are refused and nothing is sent', async () => {
    connector.clear();
    for (const user of [sara, leila]) {
      await bot.post(
        message(`/ärenden visa ${fkCode}`, { serviceUrl: connector.url, from: user, where }),
      );
      expect(
        connector
          .messages(channel)
          .map((m) => m.body.text)
          .join(),
      ).toContain('visas bara för samordnare');
      expect(connector.messages(personalOf(user))).toHaveLength(0);
    }
    expect(JSON.stringify(connector.received)).not.toContain(REASON_FK);
  });

  it('when a samordnare asks in the personal chat, then the details are shown there', async () => {
    expect(await replyText(`/ärenden visa ${kommunCode}`, admin, false)).toContain(
      'arbetsträning i kommunens regi',
    );
  });
});

describe('working the queue', () => {
  it('when a code or date is mistyped, then the reply says what was wrong and the right form, without quoting it', async () => {
    const badCode = await replyText('/ärenden planera X-12');
    expect(badCode).toContain('Ärendekoder skrivs Ä-ÅÅÅÅ-NNNN');
    expect(badCode).not.toContain('X-12');
    const badDate = await replyText(`/ärenden planera ${fkCode} 2026-13-01`);
    expect(badDate).toContain('Skriv datumet som ÅÅÅÅ-MM-DD');
    expect(badDate).not.toContain('2026-13-01');
    expect(await replyText('/ärenden flytta')).toContain('Skriv ärendets kod');
    const unknown = await replyText('/ärenden bananer');
    expect(unknown).toContain('känns inte igen');
    expect(unknown).not.toContain('bananer');
    expect(await replyText(`/ärenden planera ${fkCode} 2026-12-09`)).toContain(
      'Det finns inget möte den 2026-12-09',
    );
  });

  it('when a representative tries to plan, or a step skips the life cycle, then it is refused', async () => {
    expect(await replyText(`/ärenden planera ${fkCode}`, erik)).toContain('Bara samordnare');
    expect(await replyText(`/ärenden dragen ${fkCode}`)).toContain(
      'är inkommen och kan inte bli dragen',
    );
  });

  it('when a samordnare plans both cases, then they are planned for the next meeting', async () => {
    expect(await replyText(`/ärenden planera ${fkCode}`)).toContain(
      'planerat till Psykiatri-avstämning tisdag 8 december',
    );
    expect(await replyText(`/arenden planera ${kommunCode} 2026-12-08`)).toContain('8 december');
    const text = cardText(cardOf((await say('/ärenden planerad'))[0]));
    expect(text).toContain('Planerad (2)');
    expect(text).not.toContain('Inkommen');
  });

  it('when a case is moved to a date with no meeting, then it is refused, and to a real one it moves', async () => {
    expect(await replyText(`/ärenden flytta ${kommunCode} 2026-12-24`)).toContain(
      'inget möte den 2026-12-24',
    );
    expect(await replyText(`/ärenden flytta ${kommunCode} 2027-01-12`)).toContain('12 januari');
    expect(await replyText(`/ärenden flytta ${kommunCode} 2026-12-08`)).toContain('8 december');
  });

  it('when the decision card opens, then it shows who is present and warns that the referring organisation is absent', async () => {
    clock = new Date('2026-12-08T08:05:00Z');
    const meeting = {
      meetingId: (await bot.cases.summary(fkCode)).value.plan!.meetingId,
      date: '2026-12-08',
    };
    await click('meeting.run', meeting);
    const run = await click('meeting.attendance', {
      ...meeting,
      attendance: 'region,kommun-eskilstuna',
    });
    expect(cardText(run)).toContain('Närvaron är sparad');
    expect(await replyText(`/ärenden dragen ${fkCode}`)).toContain('markerat som draget');
    const card = cardOf((await say(`/ärenden beslut ${fkCode}`))[0]);
    const text = cardText(card);
    expect(text).toContain('Närvarande: Eskilstuna kommun, Region (Psykiatrin)');
    expect(text).toContain(
      'Varning: den anmälande organisationen (Försäkringskassan) är inte närvarande',
    );
    expect(JSON.stringify(card)).not.toContain(REASON_FK);
  });

  it('when a decision motivation holds a personnummer, then it is refused, not echoed, and the case is unchanged', async () => {
    const card = await click('cases.decide', {
      code: fkCode,
      requestId: newId(),
      outcome: 'avslag',
      motivation: 'Gäller 19811218-9876',
    });
    expect(cardText(card)).toContain('personnummer');
    expect(JSON.stringify(card)).not.toContain('19811218');
    expect((await bot.cases.summary(fkCode)).value.status).toBe('dragen');
  });

  it('when two samordnare decide at once, then one wins, the other is told and sees the current state, and a repeat does nothing', async () => {
    const annaRequest = newId();
    const boRequest = newId();
    const [a, b] = await Promise.all([
      click('cases.decide', {
        code: fkCode,
        requestId: annaRequest,
        outcome: 'avslag',
        motivation: 'Utanför målgruppen.',
      }),
      click(
        'cases.decide',
        {
          code: fkCode,
          requestId: boRequest,
          outcome: 'aterremiss',
          motivation: 'Behöver läkarintyg.',
        },
        bo,
      ),
    ]);
    const texts = [cardText(a), cardText(b)];
    const won = texts.filter((t) => t.includes('Beslutet är sparat'));
    const lost = texts.filter((t) => t.includes('har redan fått beslutet'));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toContain('Ditt beslut sparades inte');
    expect(lost[0]).toMatch(/Status\n(Beslut|Återremitterad)/);
    const winner = texts[0]!.includes('Beslutet är sparat')
      ? { requestId: annaRequest, outcome: 'avslag', motivation: 'Utanför målgruppen.' }
      : {
          requestId: boRequest,
          outcome: 'aterremiss',
          motivation: 'Behöver läkarintyg.',
        };
    const repeat = await click('cases.decide', { code: fkCode, ...winner });
    expect(cardText(repeat)).toContain('Beslutet var redan sparat');
    const stored = await bot.cases.summary(fkCode);
    expect(stored.decisions).toHaveLength(1);
    expect(stored.decisions[0]!.referrerPresent).toBe(false);
    expect(stored.decisions[0]!.present).toEqual(['kommun-eskilstuna', 'region']);
  });

  it('when the meeting ends without the other case being presented, then it moves to the next meeting and says so', async () => {
    clock = new Date('2026-12-08T12:00:00Z');
    const card = cardOf((await say('/ärenden'))[0]);
    const text = cardText(card);
    expect(text).toContain(
      `${kommunCode} hann inte dras 2026-12-08 och är flyttat till mötet 2027-01-12`,
    );
    expect(text).toContain('Flyttat automatiskt från mötet 2026-12-08');
    const moved = await bot.cases.summary(kommunCode);
    expect(moved.value.plan?.date).toBe('2027-01-12');
    const latest = await bot.cases.deps.store.history(kommunCode, {
      before: moved.value.historyCount + 1,
      limit: 1,
    });
    expect(latest.entries[0]?.note).toBe('carriedOver');
    const again = cardText(cardOf((await say('/ärenden'))[0]));
    expect(again).not.toContain('är flyttat till mötet');
    expect(again).toContain('Flyttat automatiskt från mötet 2026-12-08');
  });

  it('when cases are decided to the waiting list, then /ärenden kö shows positions per insats in order', async () => {
    const queued: string[] = [];
    for (const [user, reason] of [
      [maria, 'Kö ett'],
      [erik, 'Kö två'],
    ] as const) {
      const code = codeIn(await submit(user, { reason }));
      await say(`/ärenden planera ${code} 2027-01-12`);
      const decided = await click('cases.decide', {
        code,
        requestId: newId(),
        outcome: 'ko',
        insats: 'Sikta mot arbetslivet',
        motivation: 'Fullt just nu.',
      });
      expect(cardText(decided)).toContain('Beslutet är sparat: kö');
      queued.push(code);
      clock = new Date(clock.getTime() + 60_000);
    }
    const text = cardText(cardOf((await say('/ärenden kö Sikta mot arbetslivet', sara))[0]));
    expect(text).toContain('Kö till Sikta mot arbetslivet');
    expect(text.indexOf(`1.\n${queued[0]}`)).toBeGreaterThanOrEqual(0);
    expect(text.indexOf(`2.\n${queued[1]}`)).toBeGreaterThan(text.indexOf(`1.\n${queued[0]}`));
    const plannedAgain = await replyText(`/ärenden planera ${queued[0]} 2027-01-12`);
    expect(plannedAgain).toContain('planerat');
    const after = cardText(cardOf((await say('/ärenden kö', sara))[0]));
    expect(after).toContain(`1.\n${queued[1]}`);
    expect(after).not.toContain(queued[0]!);
  });
});

describe('a granted case becomes a participant', () => {
  /** The value an input of the card starts with. */
  const inputValue = (card: unknown, id: string): unknown => {
    let found: unknown;
    const walk = (node: unknown) => {
      if (!node || typeof node !== 'object' || found !== undefined) return;
      if (Array.isArray(node)) return node.forEach(walk);
      const record = node as Record<string, unknown>;
      if (record.id === id && 'value' in record) found = record.value;
      else Object.values(record).forEach(walk);
    };
    walk(card);
    return found;
  };
  const enrol = async (data: Record<string, unknown>) => {
    const response = await bot.post(
      cardAction('participants.enrol', data, {
        serviceUrl: connector.url,
        from: admin,
        where: { kind: 'personal' },
      }),
    );
    expect(response.status).toBe(200);
    return (response.body as { value: unknown }).value;
  };

  it('when a samordnare decides "beviljas insats", then the enrolment form filled in from the case comes to their chat, and enrolling links the participant to the case once', async () => {
    const code = codeIn(await submit(sara, { reason: 'Behöver stöd tillbaka till arbete' }));
    await say(`/ärenden planera ${code} 2027-01-12`);
    const notGranted = await enrol({
      requestId: newId(),
      insatsId: 'sikta',
      lansdelId: 'norra',
      enrolledOn: '2026-12-08',
      gender: 'kvinna',
      responsibleOrganisationId: 'kommun-eskilstuna',
      coachId: leila.id,
      caseCode: code,
    });
    expect(cardText(notGranted)).toContain('har inget beslut om att bevilja en insats');

    connector.clear();
    const decided = await click('cases.decide', {
      code,
      requestId: newId(),
      outcome: 'beviljas',
      insats: 'Sikta mot arbetslivet',
      motivation: 'Passar insatsen.',
    });
    expect(cardText(decided)).toContain(
      'Formuläret för att skriva in deltagaren har skickats till din chatt med boten.',
    );
    const forms = connector.messages(personalOf(admin));
    expect(forms).toHaveLength(1);
    const form = cardOf(forms[0]);
    expect(inputValue(form, 'caseCode')).toBe(code);
    expect(inputValue(form, 'responsibleOrganisationId')).toBe('kommun-eskilstuna');
    expect(inputValue(form, 'insatsId')).toBe('sikta');
    expect(JSON.stringify(form)).not.toContain('Behöver stöd tillbaka');

    const fields = {
      ...actionData(form, 'participants.enrol'),
      insatsId: 'sikta',
      lansdelId: 'norra',
      enrolledOn: '2026-12-08',
      gender: 'kvinna',
      responsibleOrganisationId: 'kommun-eskilstuna',
      coachId: leila.id,
      caseCode: code.toLowerCase(),
    };
    const enrolled = await enrol(fields);
    const participantCode = /D-\d{4}-\d{4}/.exec(cardText(enrolled))?.[0];
    expect(cardText(enrolled)).toContain(`inskriven med koden ${participantCode}`);
    expect(cardText(enrolled)).toContain(code);
    expect((await bot.cases.summary(code)).value.participantCode).toBe(participantCode);

    const secondForm = await enrol({ ...fields, requestId: newId() });
    expect(cardText(secondForm)).toContain(`redan inskriven med koden ${participantCode}`);
    const log = await bot.cases.log(
      { userId: admin.id, tenantId: TENANT_ID, roles: ['samordnare'], configuredAdmin: false },
      code,
    );
    expect(log.filter((e) => e.action === 'cases.admit')).toHaveLength(1);
  });
});

describe('the waiting list without a meeting', () => {
  it('when a samordnare puts an incoming case in kö for a full insats, then it gets a position and a representative cannot do it', async () => {
    const { cases: incoming } = await bot.cases.openQueue(channel, {
      status: 'inkommen',
    });
    const code = incoming[0]!.code;
    expect(await replyText(`/ärenden kö ${code} Arbetsträning Eskilstuna`, sara)).toContain(
      'Bara samordnare',
    );
    expect(await replyText(`/ärenden kö ${code} Arbetsträning Eskilstuna`)).toContain(
      `${code} står i kö till Arbetsträning Eskilstuna på plats 1.`,
    );
    expect(await replyText(`/ärenden kö ${code}`)).toContain('Skriv vilken insats kön gäller');
    const list = cardText(cardOf((await say('/ärenden kö arbetsträning eskilstuna', erik))[0]));
    expect(list).toContain(`1.\n${code}`);
  });

  it('when /ärenden hjälp is asked, then every form of the command is explained with examples', async () => {
    const text = await replyText('/ärenden hjälp', erik);
    for (const part of [
      '/ärenden ny',
      '/ärenden kö',
      '/ärenden planera Ä-2026-0042',
      '/ärenden logg',
    ]) {
      expect(text).toContain(part);
    }
  });
});

describe('the audit log', () => {
  it('when a samordnare asks for the log in the channel, then every view and change is listed with who, in the personal chat', async () => {
    connector.clear();
    await bot.post(
      message(`/ärenden logg ${fkCode}`, { serviceUrl: connector.url, from: admin, where }),
    );
    expect(
      connector
        .messages(channel)
        .map((m) => m.body.text)
        .join(),
    ).toContain('har skickats till din chatt');
    const log = connector
      .messages(personalOf(admin))
      .map((m) => cardText(cardOf(m)))
      .join();
    for (const line of [
      'Anmälde ärendet',
      'Visade detaljerna',
      'Nekades att se detaljerna',
      'Planerade till möte',
      'Markerade som draget',
      'Fattade beslut',
    ]) {
      expect(log).toContain(line);
    }
    expect(log).toContain(`${erik.id} (Försäkringskassan)`);
    const kommunLog = await bot.cases.log(adminPrincipal, kommunCode);
    expect(kommunLog.find((e) => e.action === 'cases.carryOver')).toMatchObject({
      actorId: 'system',
      details: { from: '2026-12-08', to: '2027-01-12' },
    });
    expect(log).not.toContain(REASON_FK);
  });

  it('when a representative asks for the log, then it is refused', async () => {
    expect(await replyText(`/ärenden logg ${fkCode}`, erik)).toContain('Bara samordnare');
  });
});

describe('closing, gallring and the person’s rights', () => {
  it('when a decided case is closed, then it leaves the open queue, and closing again changes nothing', async () => {
    expect(await replyText(`/ärenden avsluta ${fkCode}`)).toContain('avslutad');
    expect(await replyText(`/ärenden avsluta ${fkCode}`)).toContain('avslutad');
    expect(cardText(cardOf((await say('/ärenden'))[0]))).not.toContain(fkCode);
    expect(await replyText(`/ärenden planera ${fkCode}`)).toContain('kan inte bli planerad');
  });

  it('when an admin takes a registerutdrag, then everything under the code comes back with its log', async () => {
    const text = await replyText(`/gallring utdrag ${kommunCode}`, admin, false);
    expect(text).toContain(`Registerutdrag för ${kommunCode}`);
    expect(text).toContain('arbetsträning i kommunens regi');
    expect(text).toContain('cases.submit');
    expect(await replyText(`/gallring utdrag ${kommunCode}`, erik, false)).toContain(
      'Bara förbundets administratör',
    );
  });

  it('when an admin erases a planned case, then it is refused; a queued one is erased after confirmation and counted in the statistics', async () => {
    expect(await replyText(`/gallring radera ${kommunCode} bekräfta`, admin, false)).toContain(
      'står på ett mötes dagordning',
    );
    const [queued] = (await bot.cases.waitingList(channel)).places;
    const code = queued!.value.code;
    expect(await replyText(`/gallring radera ${code}`, admin, false)).toContain(
      `/gallring radera ${code} bekräfta`,
    );
    expect(await bot.cases.summary(code)).toBeDefined();
    expect(await replyText(`/gallring radera ${code} bekräfta`, admin, false)).toContain(
      'är raderat',
    );
    expect(await replyText(`/ärenden visa ${code}`)).toContain('Det finns inget ärende');
    expect(await replyText('/ärenden kö')).not.toContain(code);
  });

  it('when the retention period has passed, then /gallring previews and runs it: the closed case becomes statistics and the run is audited with counts', async () => {
    expect(await replyText('/gallring', admin, false)).toContain(
      '0 reduceras till anonym statistik',
    );
    clock = new Date('2029-01-15T10:00:00Z');
    expect(await replyText('/gallring', erik, false)).toContain('Bara förbundets administratör');
    const preview = await replyText('/gallring', admin, false);
    expect(preview).toContain('Avslutade ärenden');
    expect(preview).toContain('1 reduceras till anonym statistik');
    const run = await replyText('/gallring kör', admin, false);
    expect(run).toContain('Gallringen är körd');
    expect(run).toContain('1 reducerades till anonym statistik');
    expect(await replyText(`/ärenden visa ${fkCode}`)).toContain('Det finns inget ärende');
    const runs = await bot.retention.runs(adminPrincipal);
    expect(runs.at(-1)?.details).toMatchObject({ closedCasesAnonymised: 1, trigger: 'admin' });
    expect(JSON.stringify(runs)).not.toContain(REASON_FK);
    expect(await replyText('/gallring kör', admin, false)).toContain('0 reducerades');
  });

  it('when the run button is clicked twice (a re-delivered invoke), then gallring runs once', async () => {
    const before = (await bot.retention.runs(adminPrincipal)).length;
    const [preview] = await say('/gallring', admin, false);
    const { requestId } = actionData(cardOf(preview), 'retention.run');
    const clickPersonal = async () => {
      const response = await bot.post(
        cardAction('retention.run', { requestId }, { serviceUrl: connector.url, from: admin }),
      );
      return cardText((response.body as { value: unknown }).value);
    };
    expect(await clickPersonal()).toContain('Gallringen är körd');
    expect(await clickPersonal()).toContain('Den här körningen är redan gjord');
    expect(await bot.retention.runs(adminPrincipal)).toHaveLength(before + 1);
  });
});

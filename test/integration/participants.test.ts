import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { participantTables } from '../../src/storage/participant-tables.js';
import { createTableStore } from '../../src/storage/table-store.js';
import {
  cardAction,
  message,
  TENANT_ID,
  users,
  type TestUser,
  type Where,
} from '../support/activities.js';
import { cardProblems } from '../support/card-validator.js';
import {
  cardOf,
  cardText,
  FakeConnector,
  type ReceivedActivity,
} from '../support/fake-connector.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

/**
 * A realistic länsdel through the real HTTP endpoint and real Azurite: two coaches enrol a
 * hundred-odd participants of Eskilstuna and Strängnäs (generated from a seed), record their
 * steps from cards and commands, and the samordnare's lägesrapport is checked number by number
 * against a count made here from the generated data.
 */
const anna = users.anna;
const erik = users.erik;
const leila: TestUser = {
  id: '29:leila',
  name: 'Leila Coach',
  aadObjectId: 'a0000000-0000-4000-8000-000000000006',
};
const omar: TestUser = {
  id: '29:omar',
  name: 'Omar Coach',
  aadObjectId: 'a0000000-0000-4000-8000-000000000007',
};
const sara: TestUser = {
  id: '29:sara',
  name: 'Sara Eskilstuna',
  aadObjectId: 'a0000000-0000-4000-8000-000000000004',
};
const personal: Where = { kind: 'personal' };
const personalOf = (user: TestUser) => `a:personal-${user.id}`;

let clock = new Date('2026-07-02T08:00:00Z');
let connector: FakeConnector;
let bot: TestBot;

const say = async (
  text: string,
  from: TestUser,
  where: Where = personal,
  mention: TestUser[] = [],
) => {
  connector.clear();
  const response = await bot.post(
    message(text, { serviceUrl: connector.url, from, where, mention }),
  );
  expect(response.status).toBe(200);
  return connector.messages();
};

const click = async (verb: string, data: Record<string, unknown>, from: TestUser) => {
  const response = await bot.post(
    cardAction(verb, data, { serviceUrl: connector.url, from, where: personal }),
  );
  expect(response.status).toBe(200);
  const body = response.body as { type: string; value: Record<string, unknown> };
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  return body.value;
};

beforeAll(async () => {
  connector = await new FakeConnector().start();
  bot = await startTestBot(
    { ALLOWED_TENANT_IDS: TENANT_ID, BOOTSTRAP_ADMIN_IDS: anna.aadObjectId },
    { now: () => clock },
  );
  for (const user of [anna, erik, leila, omar, sara]) await say('/hjälp', user);
  for (const [user, grant] of [
    [anna, 'samordnare forbundskansliet'],
    [leila, 'coach eskilstuna'],
    [omar, 'coach strangnas'],
    [erik, 'representant fk'],
    [sara, 'representant eskilstuna'],
  ] as const) {
    await say(`/roller ge <at>${user.name}</at> ${grant}`, anna, personal, [user]);
  }
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
});

// ---- the generated länsdel -------------------------------------------------------------------

/** A small seeded generator (mulberry32), so every run builds the same länsdel. */
function seeded(seed: number) {
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

const addDays = (date: string, days: number) => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const LAST_DAY = '2026-07-02';
const minDate = (a: string, b: string) => (a < b ? a : b);

interface Generated {
  coach: TestUser;
  enrolledBy: TestUser;
  gender: 'kvinna' | 'man' | 'annat';
  consent: boolean;
  birthYear?: number;
  ageGroup?: 'under30' | '30-49' | '50+';
  kommun: 'Eskilstuna' | 'Strängnäs';
  referral:
    'ekonomisktBistand' | 'forsakringskassan' | 'psykiatrin' | 'arbetsformedlingen' | 'annan';
  organisationId: string;
  enrolledOn: string;
  steps: { step: string; on: string; which?: string; byCommand: boolean }[];
  code?: string;
}

const OUTCOME_STEPS = [
  'arbeteSubventionerad',
  'arbeteOsubventionerad',
  'studier',
  'annanInsats',
  'avbrott',
];

function generate(count: number): Generated[] {
  const random = seeded(20260630);
  const list: Generated[] = [];
  for (let i = 0; i < count; i++) {
    const kommun = random.next() < 0.6 ? 'Eskilstuna' : 'Strängnäs';
    const referral = random.pick([
      'ekonomisktBistand',
      'forsakringskassan',
      'psykiatrin',
      'arbetsformedlingen',
      'annan',
    ] as const);
    const organisationId = {
      ekonomisktBistand: kommun === 'Eskilstuna' ? 'kommun-eskilstuna' : 'kommun-strangnas',
      forsakringskassan: 'fk',
      psykiatrin: 'region',
      arbetsformedlingen: 'af',
      annan: 'kommun-eskilstuna',
    }[referral];
    const enrolledOn = i < 3 ? '2026-07-01' : addDays('2025-01-07', random.between(0, 540));
    const consent = random.next() < 0.8;
    const byYear = random.next() < 0.7;
    const steps: Generated['steps'] = [];
    let on = enrolledOn;
    const later = (min: number, max: number) => {
      on = minDate(addDays(on, random.between(min, max)), LAST_DAY);
      return on;
    };
    for (const step of ['kartlaggning', 'motiverande', 'arbetstraning']) {
      if (random.next() < 0.7)
        steps.push({ step, on: later(5, 40), byCommand: random.next() < 0.3 });
    }
    if (random.next() < 0.6) {
      const step = random.pick(OUTCOME_STEPS);
      steps.push({
        step,
        on: later(10, 90),
        byCommand: false,
        ...(step === 'annanInsats'
          ? { which: random.pick(['daglig verksamhet', 'förstärkt samarbete AF/FK']) }
          : {}),
      });
      if (step !== 'avbrott' && random.next() < 0.4)
        steps.push({ step: 'avslutad', on: later(10, 60), byCommand: true });
    } else if (random.next() < 0.3) {
      steps.push({ step: 'avslutad', on: later(10, 60), byCommand: false });
    }
    list.push({
      coach: kommun === 'Eskilstuna' ? leila : omar,
      enrolledBy: random.next() < 0.5 ? anna : kommun === 'Eskilstuna' ? leila : omar,
      gender: random.pick(['kvinna', 'kvinna', 'man', 'man', 'annat'] as const),
      consent,
      ...(byYear
        ? { birthYear: random.between(1962, 2004) }
        : { ageGroup: random.pick(['under30', '30-49', '50+'] as const) }),
      kommun,
      referral,
      organisationId,
      enrolledOn,
      steps,
    });
  }
  return list;
}

const population = generate(112);
const enrolForm = (p: Generated, requestId: string) => ({
  requestId,
  insatsId: 'sikta',
  lansdelId: 'norra',
  enrolledOn: p.enrolledOn,
  gender: p.gender,
  responsibleOrganisationId: p.organisationId,
  coachId: p.coach.id,
  caseCode: '',
  consent: String(p.consent),
  birthYear: p.birthYear ? String(p.birthYear) : '',
  ageGroup: p.ageGroup ?? '',
  kommun: p.kommun,
  referral: p.referral,
});
const codeIn = (card: unknown) => /koden (D-\d{4}-\d{4})/.exec(cardText(card))?.[1];

// ---- the independent count --------------------------------------------------------------------

function expectedReport(asOf: string, planned: number) {
  const counted = population.filter((p) => p.enrolledOn <= asOf);
  const by = <K extends string>(key: (p: Generated) => K) => {
    const counts = new Map<K, number>();
    for (const p of counted) counts.set(key(p), (counts.get(key(p)) ?? 0) + 1);
    return counts;
  };
  const band = (p: Generated) => {
    if (!p.consent) return 'none';
    if (p.ageGroup) return p.ageGroup;
    const age = Number(p.enrolledOn.slice(0, 4)) - p.birthYear!;
    return age >= 50 ? '50+' : age >= 30 ? '30-49' : 'under30';
  };
  const outcome = (p: Generated) => {
    const until = p.steps.filter((s) => s.on <= asOf);
    const outcomes = until.filter((s) => OUTCOME_STEPS.includes(s.step));
    if (outcomes.length > 0) {
      const last = outcomes[outcomes.length - 1]!.step;
      return last.startsWith('arbete') ? 'arbete' : last;
    }
    return until.some((s) => s.step === 'avslutad') ? 'avslutad' : 'pagar';
  };
  const year = asOf.slice(0, 4);
  return {
    total: counted.length,
    gender: by((p) => p.gender),
    kommun: by((p) => (p.consent ? p.kommun : 'none')),
    age: by(band),
    ageGender: by((p) => `${band(p)}|${p.gender}`),
    outcome: by(outcome),
    actual: counted.filter((p) => p.enrolledOn >= `${year}-01-01`).length,
    planned,
  };
}

/**
 * The follow-up rule, counted here: the first within a month of enrolment whatever steps come
 * before it (the generated participants have steps, no recorded follow-ups yet).
 */
function nextFollowUp(p: Generated): string {
  const [y, m, d] = p.enrolledOn.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

function findAction(card: unknown, title: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown): void => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute' && record.title === title) {
      found = (record.data ?? {}) as Record<string, unknown>;
      return;
    }
    Object.values(record).forEach(walk);
  };
  walk(card);
  return found;
}

// ---- the story -----------------------------------------------------------------------------

describe('participants of länsdel Norra and their lägesrapport', () => {
  it('when /deltagare is written in a channel, then details are refused there and no card is shown', async () => {
    const replies = await say('/deltagare', leila, {
      kind: 'channel',
      conversationId: '19:sikta@thread.tacv2',
    });
    expect(replies.map((r) => r.body.text).join()).toContain('bara i din personliga chatt');
    expect(cardOf(replies[0])).toBeUndefined();
  });

  it('when someone without a coach or samordnare role asks for the register, then it is refused', async () => {
    const replies = await say('/deltagare', erik);
    expect(replies.map((r) => r.body.text).join()).toContain('bara för coacher och samordnare');
  });

  it('when the enrolment form has a bad birth year, then it comes back with the values kept and a Swedish error', async () => {
    const [reply] = await say('/deltagare ny', leila);
    const form = cardOf(reply)!;
    expect(cardProblems(form)).toEqual([]);
    const card = await click(
      'participants.enrol',
      { ...enrolForm(population[10]!, 'req-bad-birth-year'), consent: 'true', birthYear: '19x0' },
      leila,
    );
    expect(cardText(card)).toContain('Skriv bara födelseåret med fyra siffror');
    expect(JSON.stringify(card)).toContain('"value":"19x0"');
  });

  it('when 112 participants are enrolled from the form (one double-clicked), then each gets one code', async () => {
    for (const [i, p] of population.entries()) {
      const requestId = `req-enrol-${String(i).padStart(4, '0')}`;
      const card = await click('participants.enrol', enrolForm(p, requestId), p.enrolledBy);
      p.code = codeIn(card);
      expect(p.code, cardText(card)).toMatch(/^D-\d{4}-\d{4}$/);
      if (i === 5) {
        const again = await click('participants.enrol', enrolForm(p, requestId), p.enrolledBy);
        expect(cardText(again)).toContain(`redan inskriven med koden ${p.code}`);
      }
    }
    const codes = population.map((p) => p.code);
    expect(new Set(codes).size).toBe(112);
    const of2025 = population.filter((p) => p.enrolledOn < '2026-01-01').length;
    expect(
      codes
        .filter((c) => c!.startsWith('D-2025-'))
        .sort()
        .at(-1),
    ).toBe(`D-2025-${String(of2025).padStart(4, '0')}`);
  }, 180_000);

  it('when there is no consent, then only gender and start year describe the person in storage', async () => {
    const store = createTableStore(
      loadConfig({ STORAGE_CONNECTION_STRING: inject('tableConnectionString') }).storage,
      bot.tablePrefix,
    );
    const tables = participantTables(store, ['norra', 'vastra', 'sodra']);
    const without = population.find((p) => !p.consent && p.birthYear)!;
    const stored = (await tables.get(without.code!))!.value;
    expect(stored.gender).toBe(without.gender);
    expect(stored.startYear).toBe(Number(without.enrolledOn.slice(0, 4)));
    for (const field of ['birthYear', 'ageGroup', 'kommun', 'referral'] as const) {
      expect(stored[field]).toBeUndefined();
    }
    const withConsent = population.find((p) => p.consent && p.birthYear)!;
    expect((await tables.get(withConsent.code!))!.value).toMatchObject({
      birthYear: withConsent.birthYear,
      kommun: withConsent.kommun,
    });
  });

  it('when the coaches record every step from cards and commands, then the timeline shows them once', async () => {
    for (const p of population) {
      for (const [j, s] of p.steps.entries()) {
        if (s.byCommand) {
          const replies = await say(
            `/deltagare steg ${p.code} ${s.step === 'avslutad' ? 'avslutad' : { kartlaggning: 'kartläggning', motiverande: 'motiverande', arbetstraning: 'arbetsträning' }[s.step]} ${s.on}`,
            p.coach,
          );
          expect(cardText(cardOf(replies[0]))).toContain('är registrerat');
        } else {
          const card = await click(
            'participants.step',
            {
              code: p.code,
              requestId: `req-step-${p.code}-${j}`,
              stepStep: s.step,
              stepOn: s.on,
              stepWhich: s.which ?? '',
              stepNote: '',
            },
            p.coach,
          );
          expect(cardText(card)).toContain('är registrerat');
        }
      }
    }
    const sample = population.find((p) => p.steps.length >= 3 && !p.steps[0]!.byCommand)!;
    const again = await click(
      'participants.step',
      {
        code: sample.code,
        requestId: `req-step-${sample.code}-0`,
        stepStep: sample.steps[0]!.step,
        stepOn: sample.steps[0]!.on,
        stepWhich: '',
        stepNote: '',
      },
      sample.coach,
    );
    expect(cardText(again)).toContain('redan registrerat');
    const [reply] = await say(`/deltagare visa ${sample.code}`, sample.coach);
    const timeline = cardText(cardOf(reply));
    expect(timeline).toContain('Inskrivning');
    const dated: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (record.type === 'TextBlock' && /^\d{4}-\d{2}-\d{2}$/.test(String(record.text))) {
        dated.push(String(record.text));
      }
      Object.values(record).forEach(walk);
    };
    walk(cardOf(reply));
    expect(dated).toEqual([sample.enrolledOn, ...sample.steps.map((s) => s.on)].reverse());
  }, 180_000);

  it('when a coach opens another coach’s participant, then it is refused', async () => {
    const omars = population.find((p) => p.coach === omar)!;
    const [reply] = await say(`/deltagare visa ${omars.code}`, leila);
    expect(reply!.body.text).toContain('bara se och uppdatera dina egna deltagare');
  });

  it('when a note holds a personnummer, then it is refused and nothing is recorded', async () => {
    const p = population.find(
      (q) =>
        q.coach === leila && !q.steps.some((s) => s.step === 'avbrott' || s.step === 'avslutad'),
    )!;
    const card = await click(
      'participants.followUp',
      {
        code: p.code,
        requestId: 'req-pnr-0001',
        followUpOn: '2026-07-01',
        followUpNote: 'Gäller 19811218-9876',
      },
      leila,
    );
    expect(cardText(card)).toContain('personnummer');
    expect(cardText(card)).not.toContain('19811218');
  });

  it('when a samordnare asks for the lägesrapport as of 30 June, then the card and the CSV file count the enrolled by gender as counted here', async () => {
    const [reply] = await say('/rapport Norra 2026-06-30', anna);
    const card = cardOf(reply)!;
    expect(cardProblems(card)).toEqual([]);
    const expected = expectedReport('2026-06-30', 390);
    const g = expected.gender;
    const [kvinna, man, annat] = ['kvinna', 'man', 'annat'].map((k) => g.get(k as never) ?? 0);
    expect(cardText(card)).toContain('Lägesrapport · Länsdel Norra');
    expect(cardText(card)).toContain(
      `${expected.total} (${kvinna} kvinnor, ${man} män, ${annat} annat)`,
    );

    connector.clear();
    const refreshed = await click(
      'reports.file',
      { scope: 'lansdel:norra', asOf: '2026-06-30', format: 'csv' },
      anna,
    );
    expect(cardText(refreshed)).toContain('nedladdningslänk');
    const link = /\((http:\/\/127\.0\.0\.1:\d+\/filer\/[^)]+)\)/.exec(
      connector
        .messages(personalOf(anna))
        .map((m) => m.body.text ?? '')
        .join('\n'),
    )![1]!;
    const csv = await (await fetch(link)).text();
    const rows = csv.split('\r\n');
    expect(rows[0]).toBe('avsnitt;grupp;kvinnor;män;annat;totalt;andel (%)');
    expect(rows).toContain(
      `inskrivna sedan start;Totalt;${kvinna};${man};${annat};${expected.total};100,0`,
    );
    expect((await fetch(link)).status).toBe(410);
  }, 60_000);

  it('when a coach records an avvikelse, then the representatives of the responsible organisation hear of it at once, without the note', async () => {
    const p = population.find(
      (q) =>
        q.coach === leila &&
        q.organisationId === 'fk' &&
        !q.steps.some((s) => ['avbrott', 'avslutad'].includes(s.step)),
    )!;
    connector.clear();
    const data = {
      code: p.code,
      requestId: 'req-deviation-0001',
      deviationKind: 'uteblivet',
      deviationOn: '2026-07-01',
      deviationNote: 'Kom inte till mötet',
    };
    const card = await click('participants.deviation', data, leila);
    expect(cardText(card)).toContain('1 person hos den ansvariga organisationen har fått besked');
    const toErik = connector.messages(personalOf(erik));
    expect(toErik).toHaveLength(1);
    expect(toErik[0]!.body.text).toContain(
      `Avvikelse för deltagare ${p.code} i Sikta mot arbetslivet: uteblivet besök 2026-07-01`,
    );
    expect(toErik[0]!.body.text).not.toContain('Kom inte');
    expect(connector.messages(personalOf(sara))).toHaveLength(0);

    connector.clear();
    const again = await click('participants.deviation', data, leila);
    expect(cardText(again)).toContain('redan registrerat');
    expect(connector.messages(personalOf(erik))).toHaveLength(0);
    expect(cardText(again).match(/Avvikelse: Uteblivet besök/g)).toHaveLength(1);
  });

  it('when the responsible organisation has no representative, then the coach is told to contact the handläggare', async () => {
    const p = population.find(
      (q) =>
        q.coach === leila &&
        q.organisationId === 'af' &&
        !q.steps.some((s) => ['avbrott', 'avslutad'].includes(s.step)),
    )!;
    const card = await click(
      'participants.deviation',
      {
        code: p.code,
        requestId: 'req-deviation-0002',
        deviationKind: 'planEjFoljd',
        deviationOn: '2026-07-02',
        deviationNote: '',
      },
      leila,
    );
    expect(cardText(card)).toContain('Kontakta handläggaren direkt');
    expect(cardText(card)).toContain('Avvikelse: Planen följs inte');
  });

  it('when a coach lists the register, then only their own participants show, page by page; the samordnare sees all and the overdue follow-ups', async () => {
    const listed = async (user: TestUser) => {
      const [reply] = await say('/deltagare', user);
      let card = cardOf(reply)!;
      const cards = [card];
      for (;;) {
        const next = findAction(card, 'Nästa');
        if (!next) break;
        card = await click('participants.list', next, user);
        cards.push(card);
      }
      for (const c of cards) expect(cardProblems(c)).toEqual([]);
      return cards;
    };
    const codesIn = (cards: unknown[]) =>
      cards.flatMap((c) => cardText(c).match(/^D-\d{4}-\d{4}$/gm) ?? []);

    const mine = await listed(leila);
    const own = population.filter((p) => p.coach === leila).map((p) => p.code!);
    expect(cardText(mine[0])).toContain(`Mina deltagare (${own.length})`);
    expect(codesIn(mine).sort()).toEqual([...own].sort());
    expect(cardText(mine[0])).not.toContain('Försenade uppföljningar');

    const all = await listed(anna);
    expect(all.length).toBe(Math.ceil(population.length / 20));
    expect(codesIn(all).sort()).toEqual(population.map((p) => p.code!).sort());

    const today = '2026-07-02';
    const overdue = population
      .filter((p) => !['avbrott', 'avslutad'].includes(p.steps.at(-1)?.step ?? ''))
      .map((p) => ({ code: p.code!, next: nextFollowUp(p) }))
      .filter((p) => p.next < today)
      .sort((x, y) => x.next.localeCompare(y.next) || x.code.localeCompare(y.code));
    const first = cardText(all[0]);
    expect(first).toContain(`Försenade uppföljningar (${overdue.length})`);
    expect(first).toContain(`${overdue[0]!.code} · skulle följas upp senast ${overdue[0]!.next}`);
  });

  it('when a follow-up is recorded, then the next is due after the insats interval and the coach is reminded only if it is missed', async () => {
    const p = population.find(
      (q) => q.coach === leila && !['avbrott', 'avslutad'].includes(q.steps.at(-1)?.step ?? ''),
    )!;
    const card = await click(
      'participants.followUp',
      { code: p.code, requestId: 'req-followup-0001', followUpOn: '2026-07-02', followUpNote: '' },
      leila,
    );
    expect(cardText(card)).toContain('Nästa senast 2026-08-13');

    connector.clear();
    clock = new Date('2026-08-02T06:00:30Z');
    await bot.scheduler.tick();
    expect(
      connector.messages(personalOf(leila)).map((m) => JSON.stringify(m.body)),
    ).not.toContainEqual(expect.stringContaining(`Försenad uppföljning: ${p.code}`));
    clock = new Date('2026-08-14T06:00:30Z');
    await bot.scheduler.tick();
    const reminders = connector.messages(personalOf(leila)).map((m) => JSON.stringify(m.body));
    expect(reminders.filter((r) => r.includes(`Försenad uppföljning: ${p.code}`))).toHaveLength(1);
  });

  it('when December comes, then the samordnare is reminded that the lägesrapport is due on 1 January', async () => {
    connector.clear();
    clock = new Date('2026-12-18T08:00:30Z');
    await bot.scheduler.tick();
    const toAnna = connector.messages(personalOf(anna)).map((m) => JSON.stringify(m.body));
    expect(
      toAnna.filter((m) => m.includes('Lägesrapporten ska lämnas senast 1 januari 2027')),
    ).toHaveLength(1);
  });

  it('when a coach or a representative asks for the report, then it is refused', async () => {
    for (const user of [leila, erik]) {
      const [reply] = await say('/rapport', user);
      expect(reply!.body.text).toContain('Bara samordnare');
    }
  });
});

describe('gallring and the person’s rights for participants', () => {
  const tables = () =>
    participantTables(
      createTableStore(
        loadConfig({ STORAGE_CONNECTION_STRING: inject('tableConnectionString') }).storage,
        bot.tablePrefix,
      ),
      ['norra', 'vastra', 'sodra'],
    );
  const lines = (replies: ReceivedActivity[]) =>
    replies.map((m) => m.body.text ?? cardText(cardOf(m))).join('\n');

  it('when an admin takes a registerutdrag of a participant and then erases them on request, then the extract has the history and the log, and afterwards nothing is left', async () => {
    const chosen = population.find((p) => p.steps.length > 1)!;
    const extract = lines(await say(`/gallring utdrag ${chosen.code!.toLowerCase()}`, anna));
    expect(extract).toContain(`Registerutdrag för ${chosen.code}`);
    expect(extract).toContain('"deltagare"');
    expect(extract).toContain('"history"');
    expect(extract).toContain('participants.enrol');

    expect(lines(await say(`/gallring radera ${chosen.code}`, anna))).toContain(
      'hela historiken tas bort',
    );
    expect(await tables().get(chosen.code!)).toBeDefined();
    expect(lines(await say(`/gallring radera ${chosen.code} bekräfta`, anna))).toContain(
      `${chosen.code} är raderad`,
    );
    expect(await tables().get(chosen.code!)).toBeUndefined();
    expect(lines(await say(`/deltagare visa ${chosen.code}`, anna))).toMatch(/finns inte|ingen/i);
    expect(lines(await say(`/gallring radera ${chosen.code} bekräfta`, anna))).toContain(
      `Det finns ingen deltagare med koden ${chosen.code}`,
    );
    expect(lines(await say(`/gallring utdrag ${chosen.code}`, leila))).toContain(
      'Bara förbundets administratör',
    );
  });

  it('when the retention period has passed since participants ended, then the daily gallring removes exactly them, with their history, and the run is audited with the count', async () => {
    const before = await tables().listLansdel('norra');
    const ended = before.filter((p) => p.endedOn !== undefined);
    const ongoing = before.filter((p) => p.endedOn === undefined);
    expect(ended.length).toBeGreaterThan(5);
    expect(ongoing.length).toBeGreaterThan(5);
    const sample = ended[0]!;
    expect((await tables().history(sample)).length).toBeGreaterThan(0);

    clock = new Date('2032-01-15T08:00:00Z');
    const preview = lines(await say('/gallring', anna));
    expect(preview).toContain('Avslutade deltagare');
    expect(preview).toContain(`${ended.length} tas bort`);
    const admin = {
      userId: anna.id,
      tenantId: TENANT_ID,
      roles: ['admin' as const],
      configuredAdmin: true,
    };
    const run = await bot.retention.run(admin);
    expect(run.find((l) => l.kind === 'endedParticipants')?.counts).toEqual({
      removed: ended.length,
      anonymised: 0,
    });
    const after = await tables().listLansdel('norra');
    expect(after.map((p) => p.code).sort()).toEqual(ongoing.map((p) => p.code).sort());
    expect(await tables().history(sample)).toEqual([]);
    const audit = await bot.retention.runs(admin);
    expect(audit.at(-1)?.details).toMatchObject({ endedParticipantsRemoved: ended.length });
  });
});

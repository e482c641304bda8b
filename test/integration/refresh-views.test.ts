import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/access.schema.js';
import { AccessService } from '../../src/access/access.service.js';
import { memberTable, organisationTable } from '../../src/storage/access-tables.js';
import { auditTable } from '../../src/storage/audit-table.js';
import { cardAction, message, TENANT_ID, type TestUser } from '../support/activities.js';
import { actionData } from '../support/card-actions.js';
import { startCaseBot, anna, bo, erik, leila, maria, type CaseBot } from '../support/case-bot.js';
import { cardOf, cardText, type ReceivedActivity } from '../support/fake-connector.js';
import { storeFor } from '../support/table-snapshot.js';
import { uniquePrefix } from '../support/test-bot.js';
import { DEFAULT_KOMMUNER } from '../../src/config.js';
import { defaultOrganisations } from '../../src/organisations.js';

/**
 * User-specific views (Universal Actions refresh) at the protocol level: the channel's copy of
 * the case queue, a case card and the kallelse shows what every member may see; Teams' automatic
 * refresh (and "Visa mina val") answers each person with their own view, by role and
 * organisation; nobody's view holds what their role may not see; `refresh.userIds` holds at most
 * 60 people, chosen by role, however many are stored. Every view is searched whole (its JSON)
 * for marker strings put in the data. Real HTTP endpoint, real Azurite, recording connector.
 */
const NOW = new Date('2026-11-23T08:00:00Z');
const DATES = ['2026-12-08', '2027-01-12'];
const oskar: TestUser = {
  id: '29:oskar',
  name: 'Oskar Observatör',
  aadObjectId: 'a0000000-0000-4000-8000-000000000021',
};
const olle: TestUser = {
  id: '29:olle',
  name: 'Olle Utan Roll',
  aadObjectId: 'a0000000-0000-4000-8000-000000000022',
};
/** What only samordnare and the referring organisation may read: each case's reason. */
const FK_REASON = 'skälmarkör qx71 långvarig sjukskrivning';
const REGION_REASON = 'skälmarkör qx72 behandling avslutad';
/** Next steps only samordnare take, on a case and on the kallelse. */
const COORDINATOR_CASE_VERBS = ['cases.plan', 'cases.close', 'cases.log'];
const COORDINATOR_AGENDA_VERBS = ['agenda.final', 'meeting.run'];

type Card = Record<string, unknown>;
interface Refresh {
  action: { verb: string; data: Record<string, unknown> };
  userIds: string[];
}

interface Button {
  verb: string;
  title: string;
  data: Record<string, unknown>;
}

/** The Action.Execute verbs anywhere in a card but its refresh, with the data they carry. */
function buttons(card: unknown): Button[] {
  const found: Button[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute' && typeof record.verb === 'string') {
      found.push({
        verb: record.verb,
        title: String(record.title ?? ''),
        data: (record.data ?? {}) as Record<string, unknown>,
      });
    }
    for (const [key, value] of Object.entries(record)) if (key !== 'refresh') walk(value);
  };
  walk(card);
  return found;
}
const verbsOf = (card: unknown) => new Set(buttons(card).map((b) => b.verb));
const refreshOf = (card: Card) => card.refresh as Refresh;
/** A card as JSON without the per-render request ids, to compare two renders. */
const comparable = (card: unknown) =>
  JSON.stringify(card).replace(/"requestId":"[0-9a-f-]{36}"/g, '"requestId":""');

let cases: CaseBot;
let fkCode: string;
let regionCode: string;
let meeting: { meetingId: string; date: string };

beforeAll(async () => {
  cases = await startCaseBot({
    channel: '19:refresh-views@thread.tacv2',
    dates: DATES,
    now: () => NOW,
  });
  const granted = await cases.bot.post(
    message(`/roller ge <at>${oskar.name}</at> observatör`, {
      serviceUrl: cases.connector.url,
      mention: [oskar],
    }),
  );
  expect(granted.status).toBe(200);
  fkCode = (await cases.submit(erik, { reason: FK_REASON, request: 'arbetstraning' })).code;
  regionCode = (await cases.submit(maria, { reason: REGION_REASON })).code;
  expect(fkCode).toMatch(/^Ä-/);
  expect(regionCode).toMatch(/^Ä-/);
  const [kallelse] = await cases.say('/möte');
  meeting = actionData(cardOf(kallelse), 'agenda.open') as typeof meeting;
  for (const [author, title] of [
    [erik, 'Eriks punkt om remisser'],
    [anna, 'Annas punkt om budget'],
  ] as const) {
    const added = await cases.click(
      'agenda.add',
      { ...meeting, ...actionData(cardOf(kallelse), 'agenda.add'), title, minutes: '10' },
      author,
    );
    expect(cardText(added)).toContain('är tillagd');
  }
  await cases.bot.idle();
}, 60_000);

afterAll(async () => {
  await cases?.stop();
});

/** Posts a command in the channel and returns the one card the bot posted there. */
async function channelCard(text: string, from: TestUser = anna) {
  const [posted] = await cases.say(text, from);
  expect(posted).toBeDefined();
  return { posted: posted!, card: cardOf(posted)! };
}

/** The refresh Teams sends for `from` (automatic) or their click on "Visa mina val" (manual). */
async function viewOf(
  posted: ReceivedActivity,
  from: TestUser,
  trigger: 'automatic' | 'manual' = 'automatic',
): Promise<Card> {
  const { action } = refreshOf(cardOf(posted)!);
  const response = await cases.bot.post(
    cardAction(action.verb, action.data, {
      serviceUrl: cases.connector.url,
      from,
      where: cases.where,
      trigger,
      replyToId: posted.responseId!,
    }),
  );
  expect(response.status).toBe(200);
  const body = response.body as { type: string; value: Card };
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  return body.value;
}

/** Nothing posted or updated in the channel while `work` ran (a view is the viewer's alone). */
async function privately<T>(work: () => Promise<T>): Promise<T> {
  const before = cases.connector.received.length;
  const result = await work();
  await cases.bot.idle();
  expect(cases.connector.received.slice(before)).toEqual([]);
  return result;
}

describe('the case queue', () => {
  it('when the queue is posted in the channel, then its copy shows no reasons and no next steps, and refreshes for the samordnare and the referring organisations', async () => {
    const { card } = await channelCard('/ärenden', leila);
    const json = JSON.stringify(card);
    expect(json).not.toContain('skälmarkör');
    expect(json).not.toContain('Arbetsträning');
    for (const verb of [...COORDINATOR_CASE_VERBS, 'cases.show', 'cases.present']) {
      expect(verbsOf(card)).not.toContain(verb);
    }
    expect(buttons(card).map((b) => b.title)).toContain('Visa mina val');
    expect(cardText(card)).toContain(fkCode);
    const { userIds, action } = refreshOf(card);
    expect(action.verb).toBe('cases.list');
    expect(userIds.slice(0, 2)).toEqual([anna.id, bo.id]);
    expect([...userIds].sort()).toEqual([anna.id, bo.id, erik.id, maria.id].sort());
  });

  it('when each person’s Teams refreshes the queue, then each gets the steps their role and organisation allow, and no one gets a reason', async () => {
    const { posted } = await channelCard('/ärenden', leila);
    const views = await privately(async () => ({
      samordnare: await viewOf(posted, anna),
      fk: await viewOf(posted, erik),
      region: await viewOf(posted, maria),
      coach: await viewOf(posted, leila),
      observer: await viewOf(posted, oskar),
      noRole: await viewOf(posted, olle),
    }));
    for (const view of Object.values(views)) {
      expect(JSON.stringify(view)).not.toContain('skälmarkör');
      expect(buttons(view).map((b) => b.title)).not.toContain('Visa mina val');
    }
    const shows = (view: Card) =>
      buttons(view)
        .filter((b) => b.verb === 'cases.show')
        .map((b) => b.data.code);
    const plans = (view: Card) =>
      buttons(view)
        .filter((b) => b.verb === 'cases.plan')
        .map((b) => b.data.code);
    expect(plans(views.samordnare)).toEqual(expect.arrayContaining([fkCode, regionCode]));
    expect(shows(views.samordnare)).toEqual(expect.arrayContaining([fkCode, regionCode]));
    expect(verbsOf(views.samordnare)).toContain('cases.close');
    expect(shows(views.fk)).toContain(fkCode);
    expect(shows(views.fk)).not.toContain(regionCode);
    expect(shows(views.region)).toContain(regionCode);
    expect(shows(views.region)).not.toContain(fkCode);
    for (const view of [views.fk, views.region, views.coach, views.observer, views.noRole]) {
      expect(plans(view)).toEqual([]);
      expect(verbsOf(view)).not.toContain('cases.close');
    }
    for (const view of [views.coach, views.observer, views.noRole]) {
      expect(shows(view)).toEqual([]);
    }
    const distinct = new Set(
      [views.samordnare, views.fk, views.region, views.observer].map(comparable),
    );
    expect(distinct.size).toBe(4);
  });

  it('when someone outside the card’s userIds sends an automatic refresh, then they get no more than the channel’s copy', async () => {
    const { posted, card } = await channelCard('/ärenden', leila);
    expect(refreshOf(card).userIds).not.toContain(oskar.id);
    const channelVerbs = verbsOf(card);
    for (const person of [oskar, olle, leila]) {
      const view = await viewOf(posted, person);
      expect(JSON.stringify(view)).not.toContain('skälmarkör');
      for (const verb of verbsOf(view)) expect(channelVerbs).toContain(verb);
    }
  });
});

describe('a case card', () => {
  it('when the referring representative asks for the case in the channel, then the channel’s copy has none of its details and refreshes first for them', async () => {
    const { card } = await channelCard(`/ärenden visa ${fkCode}`, erik);
    const json = JSON.stringify(card);
    expect(json).not.toContain('skälmarkör');
    expect(json).not.toContain('Arbetsträning');
    for (const verb of [...COORDINATOR_CASE_VERBS, 'cases.show']) {
      expect(verbsOf(card)).not.toContain(verb);
    }
    const { userIds, action } = refreshOf(card);
    expect(action).toMatchObject({ verb: 'cases.view', data: { code: fkCode } });
    expect(userIds).toEqual([erik.id, anna.id, bo.id]);
    expect(cases.connector.messages(cases.personalOf(erik))).toHaveLength(0);
  });

  it('when each person’s Teams refreshes the case card, then the details show for the samordnare and the referring organisation only, and the next steps for the samordnare only', async () => {
    const { posted } = await channelCard(`/ärenden visa ${fkCode}`, erik);
    const views = await privately(async () => ({
      samordnare: await viewOf(posted, anna),
      fk: await viewOf(posted, erik),
      region: await viewOf(posted, maria),
      coach: await viewOf(posted, leila),
      observer: await viewOf(posted, oskar),
      noRole: await viewOf(posted, olle),
    }));
    expect(JSON.stringify(views.samordnare)).toContain(FK_REASON);
    expect(cardText(views.samordnare)).toContain('Arbetsträning');
    for (const verb of ['cases.plan', 'cases.close', 'cases.log']) {
      expect(verbsOf(views.samordnare)).toContain(verb);
    }
    expect(JSON.stringify(views.fk)).toContain(FK_REASON);
    for (const verb of COORDINATOR_CASE_VERBS) expect(verbsOf(views.fk)).not.toContain(verb);
    for (const view of [views.region, views.coach, views.observer, views.noRole]) {
      const json = JSON.stringify(view);
      expect(json).not.toContain('skälmarkör');
      expect(json).not.toContain('Arbetsträning');
      expect(json).not.toContain('Samtycke till informationsutbyte');
      for (const verb of [...COORDINATOR_CASE_VERBS, 'cases.show', 'cases.history']) {
        expect(verbsOf(view)).not.toContain(verb);
      }
      expect(cardText(view)).toContain('Du ser samma uppgifter som alla här');
    }
    expect(new Set([views.samordnare, views.fk, views.region].map(comparable)).size).toBe(3);
  });

  it('when an observatör presses Visa mina val, then they get only what every member may see', async () => {
    const { posted } = await channelCard(`/ärenden visa ${regionCode}`, maria);
    const view = await privately(() => viewOf(posted, oskar, 'manual'));
    const json = JSON.stringify(view);
    expect(json).not.toContain('skälmarkör');
    expect(verbsOf(view)).not.toContain('cases.show');
    expect(cardText(view)).toContain(regionCode);
    expect(cardText(view)).toContain('Du ser samma uppgifter som alla här');
  });

  it('when another organisation’s representative refreshes a card they are not in the userIds of, then they get no more than the channel’s copy', async () => {
    const { posted, card } = await channelCard(`/ärenden visa ${fkCode}`, erik);
    expect(refreshOf(card).userIds).not.toContain(maria.id);
    const view = await viewOf(posted, maria);
    expect(JSON.stringify(view)).not.toContain('skälmarkör');
    for (const verb of verbsOf(view)) expect(verbsOf(card)).toContain(verb);
  });
});

describe('the kallelse', () => {
  it('when the kallelse is shown in the channel, then its copy has no Hantera, dagordning or start, and refreshes for the samordnare and the authors', async () => {
    const { card } = await channelCard('/möte', oskar);
    for (const verb of ['agenda.manage', ...COORDINATOR_AGENDA_VERBS]) {
      expect(verbsOf(card)).not.toContain(verb);
    }
    expect(cardText(card)).toContain('Eriks punkt om remisser');
    expect(buttons(card).map((b) => b.title)).toContain('Visa mina val');
    const { userIds, action } = refreshOf(card);
    expect(action).toMatchObject({ verb: 'agenda.open', data: meeting });
    expect(userIds.slice(0, 2)).toEqual([anna.id, bo.id]);
    expect([...userIds].sort()).toEqual([anna.id, bo.id, erik.id].sort());
  });

  it('when each person’s Teams refreshes the kallelse, then the samordnare may manage every item, an author their own, and everyone else nothing', async () => {
    const { posted } = await channelCard('/möte', oskar);
    const views = await privately(async () => ({
      samordnare: await viewOf(posted, anna),
      author: await viewOf(posted, erik),
      other: await viewOf(posted, maria),
      coach: await viewOf(posted, leila),
      observer: await viewOf(posted, oskar, 'manual'),
      noRole: await viewOf(posted, olle),
    }));
    const managed = (view: Card) => buttons(view).filter((b) => b.verb === 'agenda.manage');
    expect(managed(views.samordnare)).toHaveLength(2);
    for (const verb of COORDINATOR_AGENDA_VERBS) expect(verbsOf(views.samordnare)).toContain(verb);
    expect(managed(views.author)).toHaveLength(1);
    const own = await cases.click('agenda.manage', managed(views.author)[0]!.data, erik);
    expect(cardText(own)).toContain('Eriks punkt om remisser');
    for (const view of [views.author, views.other, views.coach, views.observer, views.noRole]) {
      for (const verb of COORDINATOR_AGENDA_VERBS) expect(verbsOf(view)).not.toContain(verb);
    }
    for (const view of [views.other, views.coach, views.observer, views.noRole]) {
      expect(managed(view)).toHaveLength(0);
      expect(cardText(view)).toContain('Annas punkt om budget');
    }
    expect(new Set([views.samordnare, views.author, views.observer].map(comparable)).size).toBe(3);
  });

  it('when a member without rights clicks a Hantera they could not see, then it is refused', async () => {
    const { posted } = await channelCard('/möte', oskar);
    const [item] = buttons(await viewOf(posted, anna)).filter((b) => b.verb === 'agenda.manage');
    const response = await cases.bot.post(
      cardAction(
        'agenda.item',
        { ...item!.data, action: 'withdraw' },
        { serviceUrl: cases.connector.url, from: oskar, where: cases.where },
      ),
    );
    const text = cardText((response.body as { value: Card }).value);
    expect(text).toMatch(/Bara samordnare|Du kan bara/);
    expect(text).toContain('Annas punkt om budget');
  });
});

describe('the waiting list', () => {
  it('when a case waits for an insats, then the channel’s list has no steps, the samordnare’s view plans and closes, the referring organisation’s shows, and others get neither', async () => {
    const { code } = await cases.submit(maria, { reason: REGION_REASON });
    expect(await cases.replyText(`/ärenden planera ${code} ${DATES[0]}`)).toContain('planerat');
    const decision = cardOf((await cases.say(`/ärenden beslut ${code}`))[0]);
    const decided = await cases.click('cases.decide', {
      ...actionData(decision, 'cases.decide'),
      outcome: 'ko',
      insats: 'Sikta mot arbetslivet',
      motivation: 'motiveringsmarkör qx73 fullt just nu',
    });
    expect(cardText(decided)).toContain('Beslutet är sparat: kö');
    const { posted, card } = await channelCard('/ärenden kö Sikta mot arbetslivet', oskar);
    expect(cardText(card)).toContain(code);
    expect(refreshOf(card).action.verb).toBe('cases.waiting');
    expect(refreshOf(card).userIds).toEqual(expect.arrayContaining([anna.id, bo.id, maria.id]));
    const views = await privately(async () => ({
      samordnare: await viewOf(posted, anna),
      region: await viewOf(posted, maria),
      fk: await viewOf(posted, erik),
      observer: await viewOf(posted, oskar, 'manual'),
    }));
    for (const view of [card, ...Object.values(views)]) {
      expect(JSON.stringify(view)).not.toMatch(/skälmarkör|motiveringsmarkör/);
    }
    expect(verbsOf(card)).not.toContain('cases.plan');
    expect(verbsOf(card)).not.toContain('cases.show');
    for (const verb of ['cases.plan', 'cases.close', 'cases.show']) {
      expect(verbsOf(views.samordnare)).toContain(verb);
    }
    expect(verbsOf(views.region)).toContain('cases.show');
    for (const view of [views.region, views.fk, views.observer]) {
      expect(verbsOf(view)).not.toContain('cases.plan');
      expect(verbsOf(view)).not.toContain('cases.close');
    }
    for (const view of [views.fk, views.observer]) {
      expect(verbsOf(view)).not.toContain('cases.show');
    }
  });
});

describe('many samordnare and representatives', () => {
  const numbered = (prefix: string, n: number): TestUser => ({
    id: `29:${prefix}-${String(n).padStart(3, '0')}`,
    name: `${prefix === 's' ? 'Samordnare' : prefix === 'fk' ? 'Representant FK' : 'Representant Region'} ${String(n).padStart(3, '0')}`,
    aadObjectId: `b0000000-0000-4000-8000-${prefix.padStart(4, '0')}${String(n).padStart(8, '0')}`,
  });
  const samordnare = Array.from({ length: 45 }, (_, i) => numbered('s', i + 1));
  const fkReps = Array.from({ length: 55 }, (_, i) => numbered('fk', i + 1));
  const regionReps = Array.from({ length: 10 }, (_, i) => numbered('reg', i + 1));
  let many: CaseBot;

  beforeAll(async () => {
    const tablePrefix = uniquePrefix();
    const store = storeFor(tablePrefix);
    await store.ensureTables();
    await organisationTable(store).addMissing(defaultOrganisations(DEFAULT_KOMMUNER));
    const access = new AccessService({
      members: memberTable(store),
      organisations: organisationTable(store),
      audit: auditTable(store),
      bootstrapAdminIds: [anna.aadObjectId],
      now: () => NOW,
    });
    const admin: Principal = {
      userId: anna.id,
      aadObjectId: anna.aadObjectId,
      tenantId: TENANT_ID,
      roles: ['admin'],
      configuredAdmin: true,
    };
    const grants = [
      ...samordnare.map((p) => [p, 'samordnare', 'forbundskansliet'] as const),
      ...fkReps.map((p) => [p, 'representant', 'fk'] as const),
      ...regionReps.map((p) => [p, 'representant', 'region'] as const),
    ];
    for (let i = 0; i < grants.length; i += 10) {
      await Promise.all(
        grants
          .slice(i, i + 10)
          .map(([p, role, organisation]) =>
            access.grant(
              admin,
              { id: p.id, displayName: p.name, aadObjectId: p.aadObjectId },
              role,
              organisation,
              `seed-${p.id}-${role}`,
            ),
          ),
      );
    }
    many = await startCaseBot({
      channel: '19:many-viewers@thread.tacv2',
      dates: DATES,
      now: () => NOW,
      tablePrefix,
    });
  }, 120_000);

  afterAll(async () => {
    await many?.stop();
  });

  it('when 112 people with roles are stored, then the queue refreshes for at most 60: the samordnare by name, then the referring organisation’s representatives', async () => {
    await many.submit(erik, { reason: FK_REASON });
    const [posted] = await many.say('/ärenden', leila);
    const { userIds } = refreshOf(cardOf(posted)!);
    expect(userIds).toHaveLength(60);
    expect(userIds.slice(0, 47)).toEqual([anna.id, bo.id, ...samordnare.map((p) => p.id)]);
    expect(userIds.slice(47)).toEqual([erik.id, ...fkReps.slice(0, 12).map((p) => p.id)]);
    for (const rep of regionReps) expect(userIds).not.toContain(rep.id);
  });

  it('when the referring representative asks for a case among so many, then they come first and the card still names at most 60', async () => {
    const { code } = await many.submit(erik, { reason: FK_REASON });
    const [posted] = await many.say(`/ärenden visa ${code}`, erik);
    const { userIds } = refreshOf(cardOf(posted)!);
    expect(userIds).toHaveLength(60);
    expect(userIds.slice(0, 3)).toEqual([erik.id, anna.id, bo.id]);
    expect(new Set(userIds).size).toBe(60);
  });

  it('when the kallelse is shown with so many samordnare, then it refreshes for at most 60, the samordnare first', async () => {
    const [posted] = await many.say('/möte', leila);
    const { userIds } = refreshOf(cardOf(posted)!);
    expect(userIds.length).toBeLessThanOrEqual(60);
    expect(userIds.slice(0, 47)).toEqual([anna.id, bo.id, ...samordnare.map((p) => p.id)]);
    for (const rep of [...fkReps, ...regionReps]) expect(userIds).not.toContain(rep.id);
  });
});

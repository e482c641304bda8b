import { newId } from '../../src/ids.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import {
  cardAction,
  message,
  OTHER_TENANT_ID,
  TENANT_ID,
  users,
  type TestUser,
  type Where,
} from '../support/activities.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

/**
 * Members from other tenants: Försäkringskassan's own tenant is mapped to FK in
 * TENANT_ORGANISATIONS, so its people in the förbund's shared channel are served and known as
 * Försäkringskassan without a grant; a tenant neither allowed nor mapped gets nothing, whether
 * the activity says so itself or only the channel's roster does. Real HTTP endpoint, real
 * Azurite, the recording Bot Connector serving the roster with each member's own tenant.
 */
const THIRD_TENANT_ID = 'c3c3c3c3-7777-4888-9999-aaaabbbbcccc';
const { anna } = users;
const person = (id: string, name: string, n: number): TestUser => ({
  id: `29:${id}`,
  name,
  aadObjectId: `a0000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`,
});
const karin = person('karin-fk', 'Karin Försäkringskassan', 1);
const pelle = person('pelle-fk', 'Pelle Försäkringskassan', 2);
const stina = person('stina-fk', 'Stina Försäkringskassan', 3);
const främling = person('framling', 'Främling Annan Tenant', 4);
const smygare = person('smygare', 'Smygare Annan Tenant', 5);

/** The förbund's shared channel: hosted in the förbund's tenant, with members from others. */
const shared: Where = { kind: 'channel', conversationId: '19:delad-kanal@thread.tacv2' };

let connector: FakeConnector;
let bot: TestBot;

beforeAll(async () => {
  connector = await new FakeConnector().start();
  connector.unlistedMembers = 'not-found';
  connector.roster = [
    { id: anna.id, name: anna.name, aadObjectId: anna.aadObjectId, tenantId: TENANT_ID },
    ...[karin, pelle, stina].map((p) => ({
      id: p.id,
      name: p.name,
      aadObjectId: p.aadObjectId,
      tenantId: OTHER_TENANT_ID,
    })),
    ...[främling, smygare].map((p) => ({
      id: p.id,
      name: p.name,
      aadObjectId: p.aadObjectId,
      tenantId: THIRD_TENANT_ID,
    })),
  ];
  bot = await startTestBot({
    ALLOWED_TENANT_IDS: TENANT_ID,
    TENANT_ORGANISATIONS: JSON.stringify({ [OTHER_TENANT_ID.toUpperCase()]: 'fk' }),
    BOOTSTRAP_ADMIN_IDS: anna.aadObjectId,
  });
});

afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
});

/** A click on "Visa mina roller" in `where`; the HTTP status and the card answered. */
async function myRoles(from: TestUser, where: Where, tenantId = TENANT_ID) {
  const response = await bot.post(
    cardAction('roles.mine', {}, { serviceUrl: connector.url, from, where, tenantId }),
  );
  const body = response.body as { value?: unknown } | string;
  return {
    status: response.status,
    text: typeof body === 'object' && body?.value ? cardText(body.value) : '',
  };
}

async function say(
  text: string,
  from: TestUser,
  where: Where,
  tenantId = TENANT_ID,
  mention: TestUser[] = [],
) {
  connector.clear();
  const response = await bot.post(
    message(text, { serviceUrl: connector.url, from, where, tenantId, mention }),
  );
  expect(response.status).toBe(200);
  return connector.messages();
}

describe('a member from a mapped tenant', () => {
  it('when an FK member writes in the shared channel, then they are answered and known as Försäkringskassan without a grant', async () => {
    const replies = await say('/roller', karin, shared);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.conversationId).toBe(shared.conversationId);
    const text = cardText(cardOf(replies[0]));
    expect(text).toContain('Karin Försäkringskassan');
    expect(text).toContain('Försäkringskassan');
    expect(text).toContain('Inga roller ännu');
    const clicked = await myRoles(karin, shared);
    expect(clicked.status).toBe(200);
    expect(clicked.text).toContain('Försäkringskassan');
  });

  it('when the FK member writes from their own tenant (a chat there), then they are known as Försäkringskassan too', async () => {
    const clicked = await myRoles(pelle, { kind: 'personal' }, OTHER_TENANT_ID);
    expect(clicked.status).toBe(200);
    expect(clicked.text).toContain('Försäkringskassan');
  });

  it('when the admin gives an FK member a role without naming the organisation, then it is given with Försäkringskassan, as their tenant says', async () => {
    const replies = await say(
      `/roller ge <at>${stina.name}</at> representant`,
      anna,
      shared,
      TENANT_ID,
      [stina],
    );
    const answer = replies.map((r) => r.body.text ?? cardText(cardOf(r))).join('\n');
    expect(answer).not.toMatch(/måste höra till en organisation|Nämn personen/);
    const clicked = await myRoles(stina, shared);
    expect(clicked.text).toContain('Representant');
    expect(clicked.text).toContain('Försäkringskassan');
  });

  it('when a member of the förbund’s own tenant writes, then they are not counted as Försäkringskassan', async () => {
    const clicked = await myRoles(anna, shared);
    expect(clicked.status).toBe(200);
    expect(clicked.text).not.toContain('Försäkringskassan');
  });
});

describe('a member from a tenant neither allowed nor mapped', () => {
  it('when the activity itself comes from the third tenant, then a message gets no answer and an invoke gets 403', async () => {
    const personal: Where = { kind: 'personal', conversationId: `a:third-${newId()}` };
    expect(await say('/hjälp', främling, personal, THIRD_TENANT_ID)).toHaveLength(0);
    const clicked = await myRoles(främling, personal, THIRD_TENANT_ID);
    expect(clicked.status).toBe(403);
    expect(clicked.text).toBe('');
  });

  it('when the activity says the host tenant but the channel’s roster says the third tenant, then it is refused all the same', async () => {
    const replies = await say('/roller', smygare, shared);
    expect(replies).toHaveLength(0);
    const clicked = await myRoles(smygare, shared);
    expect(clicked.status).toBe(403);
    expect(clicked.text).toBe('');
    const refused = bot.logLines.filter(
      (line) => line.includes('tenant.refused') && line.includes('member'),
    );
    expect(refused.length).toBeGreaterThan(0);
  });

  it('when the channel’s roster does not list the sender (or cannot be read), then they are refused, not taken for the host tenant', async () => {
    const okänd = person('okand', 'Okänd Person', 6);
    expect(await say('/hjälp', okänd, shared)).toHaveLength(0);
    const clicked = await myRoles(okänd, shared);
    expect(clicked.status).toBe(403);
    expect(clicked.text).toBe('');
  });

  it('when a refused member writes again, then the roster is not asked again and they stay refused', async () => {
    const before = connector.memberLookups;
    expect(await say('/hjälp', smygare, shared)).toHaveLength(0);
    expect(connector.memberLookups).toBe(before);
  });
});

describe('TENANT_ORGANISATIONS in the configuration', () => {
  const problemsOf = (value: string): string[] => {
    try {
      loadConfig({ TENANT_ORGANISATIONS: value });
    } catch (error) {
      if (error instanceof ConfigError) return [...error.problems];
      throw error;
    }
    return [];
  };

  it('when the mapping is valid, then tenant ids are kept in lower case and served beside the allowed ones', () => {
    const config = loadConfig({
      ALLOWED_TENANT_IDS: TENANT_ID,
      TENANT_ORGANISATIONS: JSON.stringify({ [OTHER_TENANT_ID.toUpperCase()]: 'fk' }),
    });
    expect(config.tenantOrganisations).toEqual({ [OTHER_TENANT_ID]: 'fk' });
  });

  it.each([
    ['text that is not JSON', '{fk: 0b0b}', 'ska vara ett JSON-objekt'],
    ['a list instead of an object', '["fk"]', 'ska vara ett JSON-objekt'],
    ['a key that is not a tenant id', '{"fk-tenanten":"fk"}', 'nyckeln ska vara ett tenant-id'],
    [
      'an organisation the förbund does not have',
      `{"${OTHER_TENANT_ID}":"skatteverket"}`,
      'organisationen finns inte i förbundet',
    ],
    [
      'the same tenant twice in different case',
      `{"${OTHER_TENANT_ID}":"fk","${OTHER_TENANT_ID.toUpperCase()}":"af"}`,
      'samma tenant-id står två gånger',
    ],
    ['an organisation that is not a word', `{"${OTHER_TENANT_ID}":42}`, 'finns inte i förbundet'],
  ])('when it holds %s, then the configuration error says so in Swedish', (_what, value, says) => {
    const problems = problemsOf(value);
    const problem = problems.find((p) => p.startsWith('TENANT_ORGANISATIONS'));
    expect(problem).toBeDefined();
    expect(problem).toContain(says);
    expect(problem).not.toContain('skatteverket');
  });
});

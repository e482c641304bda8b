import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableClient } from '@azure/data-tables';
import { inject } from 'vitest';
import {
  botAdded,
  cardAction,
  message,
  OTHER_TENANT_ID,
  TENANT_ID,
  users,
} from '../support/activities.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

let connector: FakeConnector;
let bot: TestBot;
const admin = users.anna;

beforeAll(async () => {
  connector = await new FakeConnector().start();
  bot = await startTestBot({
    ALLOWED_TENANT_IDS: TENANT_ID,
    BOOTSTRAP_ADMIN_IDS: admin.aadObjectId,
  });
});
afterAll(async () => {
  await bot.stop();
  await connector.stop();
});

const say = async (text: string, options: Partial<Parameters<typeof message>[1]> = {}) => {
  connector.clear();
  const response = await bot.post(message(text, { serviceUrl: connector.url, ...options }));
  expect(response.status).toBe(200);
  return connector.messages();
};

const click = async (verb: string, data: Record<string, unknown>, from = admin) => {
  const response = await bot.post(cardAction(verb, data, { serviceUrl: connector.url, from }));
  expect(response.status).toBe(200);
  const body = response.body as {
    statusCode: number;
    type: string;
    value: Record<string, unknown>;
  };
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  return body.value;
};

describe('commands in every kind of conversation', () => {
  it('when someone writes /hjälp in a personal chat, then the help card lists every command', async () => {
    const [reply] = await say('/hjälp');
    const text = cardText(cardOf(reply));
    expect(text).toContain('Finsam – så använder du boten');
    expect(text).toContain('/hjälp');
    expect(text).toContain('/roller');
  });

  it('when the bot is @mentioned in a channel, then it answers in that channel', async () => {
    const channelId = '19:kanal-ref@thread.tacv2';
    const replies = await say('/hjälp', { where: { kind: 'channel', conversationId: channelId } });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.conversationId).toBe(channelId);
    expect(cardText(cardOf(replies[0]))).toContain('Finsam – så använder du boten');
  });

  it('when a group chat asks for help, then the help card goes to the group chat', async () => {
    const replies = await say('/hjälp', {
      where: { kind: 'groupChat', conversationId: '19:grupp@thread.v2' },
    });
    expect(replies.map((r) => r.conversationId)).toEqual(['19:grupp@thread.v2']);
  });

  it.each([
    ['ASCII spelling', '/hjalp'],
    ['upper case', '/HJÄLP'],
    ['decomposed ä (NFD)', '/hja\u0308lp'],
    ['no slash', 'hjälp'],
    ['extra spaces', '   /hjälp   '],
  ])('when the command is written with %s, then it still works', async (_how, text) => {
    const [reply] = await say(text);
    expect(cardText(cardOf(reply))).toContain('Finsam – så använder du boten');
  });

  it('when a message is not a command, then the user gets help instead of silence', async () => {
    const [reply] = await say('/nåtthelt-okänt');
    const text = cardText(cardOf(reply));
    expect(text).toContain('Jag känner inte igen det kommandot');
    expect(text).not.toContain('nåtthelt');
  });

  it('when the bot is added to a team, then it introduces itself', async () => {
    connector.clear();
    await bot.post(
      botAdded({
        serviceUrl: connector.url,
        where: { kind: 'channel', conversationId: '19:ny@thread.tacv2' },
      }),
    );
    expect(cardText(cardOf(connector.messages('19:ny@thread.tacv2')[0]))).toContain(
      'Hej! Finsam är nu tillagd här.',
    );
  });
});

describe('who is acting', () => {
  it('when someone clicks "Visa mina roller", then the card is replaced by their roles', async () => {
    const card = await click('roles.mine', {}, users.maria);
    const text = cardText(card);
    expect(text).toContain('Maria Psykiatrin');
    expect(text).toContain('Inga roller ännu');
  });

  it('when a configured admin clicks "Visa mina roller", then they are shown as administratör', async () => {
    const text = cardText(await click('roles.mine', {}));
    expect(text).toContain('Administratör');
  });

  it('when a tenant is not on the allow-list, then nothing is answered and nothing is stored', async () => {
    connector.clear();
    const conversationId = 'a:foreign-tenant-chat';
    const response = await bot.post(
      message('/hjälp', {
        serviceUrl: connector.url,
        tenantId: OTHER_TENANT_ID,
        where: { kind: 'personal', conversationId },
      }),
    );
    expect(response.status).toBe(200);
    expect(connector.received).toHaveLength(0);
    const invoke = await bot.post(
      cardAction('roles.mine', {}, { serviceUrl: connector.url, tenantId: OTHER_TENANT_ID }),
    );
    expect(invoke.status).toBe(403);
    const conversations = TableClient.fromConnectionString(
      inject('tableConnectionString'),
      `${bot.tablePrefix}Conversations`,
      { allowInsecureConnection: true },
    );
    const stored = [];
    for await (const row of conversations.listEntities()) stored.push(row);
    expect(stored.some((row) => String(row.rowKey).includes('foreign'))).toBe(false);
    expect(bot.logLines.some((line) => line.includes('tenant.refused'))).toBe(true);
  });

  it('when a card sends a payload that does not fit its verb, then the user is told and nothing changes', async () => {
    const text = cardText(await click('roles.revoke', { memberId: '', role: 'kung' }));
    expect(text).toContain('Kortet skickade ogiltiga uppgifter');
  });
});

/** The audit entries of role changes: rows of the members partition, written with each change. */
async function memberAudit(): Promise<Record<string, unknown>[]> {
  const members = TableClient.fromConnectionString(
    inject('tableConnectionString'),
    `${bot.tablePrefix}Members`,
    { allowInsecureConnection: true },
  );
  const entries = [];
  for await (const row of members.listEntities()) {
    if (String(row.rowKey).startsWith('audit|')) entries.push(row);
  }
  return entries;
}

describe('roles', () => {
  const erik = `<at>${users.erik.name}</at>`;
  const maria = `<at>${users.maria.name}</at>`;

  it('when an admin grants a role by @mention, then the person has it and the change is audited', async () => {
    const [reply] = await say(`/roller ge ${erik} representant Försäkringskassan`, {
      mention: [users.erik],
    });
    expect(reply!.body.text).toBe(
      'Erik Försäkringskassan har nu rollen representant (Försäkringskassan).',
    );
    const profile = cardText(await click('roles.mine', {}, users.erik));
    expect(profile).toContain('Representant');
    expect(profile).toContain('Försäkringskassan');

    const entries = await memberAudit();
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'roles.grant',
        actorId: users.anna.id,
        subjectId: users.erik.id,
      }),
    ]);
  });

  it('when the same grant is repeated, then nothing changes and the admin is told so', async () => {
    const [reply] = await say(`/roller ge ${erik} representant fk`, { mention: [users.erik] });
    expect(reply!.body.text).toBe(
      'Erik Försäkringskassan hade redan rollen representant. Inget ändrades.',
    );
  });

  it('when someone without the admin role tries to grant, then it is refused', async () => {
    const [reply] = await say(`/roller ge ${maria} samordnare`, {
      from: users.erik,
      mention: [users.maria],
    });
    expect(reply!.body.text).toBe(
      'Bara en administratör kan se och ändra roller. Be förbundets administratör om rollen.',
    );
  });

  it.each([
    [`/roller ge ${maria} kung`, 'Okänd roll'],
    ['/roller ge Maria samordnare', 'Nämn personen med @'],
    ['/roller ge 29:maria samordnare', 'Nämn personen med @'],
    ['/roller ge 29:800128-1206 coach fk', 'personnummer eller samordningsnummer'],
    [`/roller ge ${maria} representant`, 'måste höra till en organisation'],
    [`/roller ge ${maria} samordnare Atlantis`, 'Organisationen finns inte i förbundet'],
    ['/roller flyga', 'Okänt underkommando'],
  ])(
    'when the admin writes "%s", then a clear Swedish error says what is wrong',
    async (text, expected) => {
      const [reply] = await say(text, { mention: [users.maria] });
      expect(reply!.body.text).toContain(expected);
      const profile = cardText(await click('roles.mine', {}, users.maria));
      expect(profile).toContain('Inga roller ännu');
    },
  );

  it('when an admin lists roles, then every assignment has a "Ta bort" button', async () => {
    const [reply] = await say('/roller');
    const card = cardOf(reply)!;
    expect(cardText(card)).toContain('Erik Försäkringskassan');
    expect(JSON.stringify(card)).toContain('"verb":"roles.revoke"');
  });

  it('when "Ta bort" is clicked twice (Teams re-delivers), then the role goes once and the second click changes nothing', async () => {
    const data = { memberId: users.erik.id, role: 'representant' };
    const first = cardText(await click('roles.revoke', data));
    expect(first).toContain('Rollen representant togs bort från Erik Försäkringskassan.');
    const second = cardText(await click('roles.revoke', data));
    expect(second).toContain('har inte rollen representant längre. Inget ändrades.');
    const revokes = (await memberAudit()).filter((row) => row.action === 'roles.revoke');
    expect(revokes).toHaveLength(1);
  });

  it("when /roller organisationer is asked, then the förbund's members are listed", async () => {
    const [reply] = await say('/roller organisationer');
    const text = cardText(cardOf(reply));
    for (const name of [
      'Försäkringskassan',
      'Arbetsförmedlingen',
      'Region (Psykiatrin)',
      'Strängnäs kommun',
      'Trosa kommun',
    ]) {
      expect(text).toContain(name);
    }
  });
});

describe('logs', () => {
  it('when people write free text and click cards, then the logs hold events and ids but never the text', async () => {
    const secret = 'Hemlig-anteckning-19121212-1212';
    await say(`/roller ge ${secret}`);
    await say(secret);
    await click('roles.revoke', { memberId: secret, role: 'coach' });
    const lines = bot.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(5);
    expect(
      lines.every((line) => typeof line.event === 'string' && typeof line.time === 'string'),
    ).toBe(true);
    expect(bot.logLines.join('\n')).not.toContain('Hemlig');
    expect(bot.logLines.join('\n')).not.toContain('19121212');
  });
});

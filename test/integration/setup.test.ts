import { afterEach, describe, expect, it } from 'vitest';
import { botAdded, cardAction, message, users, type Where } from '../support/activities.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

/**
 * The first hour: an administratör sets herself up from the setup card, gives roles to people
 * picked from the channel, and everyone else learns who can help them.
 */
const channel: Where = { kind: 'channel', conversationId: '19:referensgrupp@thread.tacv2' };
const leila = {
  id: 'user-leila',
  name: 'Leila Coach',
  aadObjectId: 'a0000000-0000-4000-8000-00000000000c',
};
const running: { bot: TestBot; connector: FakeConnector }[] = [];

afterEach(async () => {
  for (const { bot, connector } of running.splice(0)) {
    await bot.stop();
    await connector.stop();
  }
});

async function fresh() {
  const connector = await new FakeConnector().start();
  connector.roster = [
    { id: users.anna.id, name: users.anna.name },
    { id: users.erik.id, name: users.erik.name },
    { id: leila.id, name: leila.name },
  ];
  const bot = await startTestBot({ BOOTSTRAP_ADMIN_IDS: users.anna.aadObjectId });
  running.push({ bot, connector });
  const say = async (text: string, options: { from?: typeof users.anna; where?: Where } = {}) => {
    const before = connector.received.length;
    await bot.post(message(text, { serviceUrl: connector.url, ...options }));
    return connector.received.slice(before);
  };
  const click = async (
    verb: string,
    data: Record<string, unknown>,
    options: { from?: typeof users.anna; where?: Where; id?: string } = {},
  ) => {
    const activity = cardAction(verb, data, { serviceUrl: connector.url, ...options });
    const answer = await bot.post(options.id ? { ...activity, id: options.id } : activity);
    return (answer.body as { value: Record<string, unknown> }).value;
  };
  return { bot, connector, say, click };
}

describe('getting started', () => {
  it('when the administratör writes /kom igång in the personal chat, then the setup card shows her choices, the förbund and where to give others roles', async () => {
    const { say } = await fresh();
    const [reply] = await say('/kom igång');
    const card = cardOf(reply)!;
    const text = cardText(card);
    expect(text).toContain('Kom igång med Finsam');
    expect(text).toContain('Du är administratör.');
    expect(text).toContain('Norra');
    expect(text).toContain('Eskilstuna och Strängnäs');
    expect(text).toContain('Öppna Kom igång i förbundets kanal');
    expect(JSON.stringify(card)).toContain('"verb":"setup.self"');
    expect(JSON.stringify(card)).not.toContain('"verb":"setup.grant"');
  });

  it('when she picks her organisation and roles, then she has them, each change is audited, and a repeated click changes nothing', async () => {
    const { click, say } = await fresh();
    const data = { organisationId: 'forbundskansliet', roles: 'samordnare,coach' };
    const first = await click('setup.self', data, { id: 'click-1' });
    expect(cardText(first)).toContain('Sparat. Du är nu administratör, samordnare och coach.');
    const again = await click('setup.self', data, { id: 'click-1' });
    expect(cardText(again)).toContain('Inget ändrades.');
    const [profile] = await say('/roller');
    expect(cardText(cardOf(profile))).toContain('Anna Samordnare');
    const fewer = await click('setup.self', {
      organisationId: 'forbundskansliet',
      roles: 'samordnare',
    });
    expect(cardText(fewer)).toContain('Du är nu administratör och samordnare.');
  });

  it('when she opens the card in a channel, then she picks people from the channel and gives them a role; someone not in the channel is refused', async () => {
    const { click, say } = await fresh();
    const [reply] = await say('/kom igång', { where: channel });
    const card = JSON.stringify(cardOf(reply));
    expect(card).toContain('"verb":"setup.grant"');
    expect(card).toContain('Leila Coach');

    const granted = await click(
      'setup.grant',
      { people: `${users.erik.id},${leila.id}`, role: 'coach', grantOrganisationId: 'eskilstuna' },
      { where: channel },
    );
    expect(cardText(granted)).toContain(
      'Erik Försäkringskassan och Leila Coach har nu rollen coach.',
    );
    expect(cardText(granted)).toContain('Coacher: 2.');

    const stranger = await click(
      'setup.grant',
      { people: 'user-stranger', role: 'samordnare' },
      { where: channel },
    );
    expect(cardText(stranger)).toContain('finns inte här längre');
    expect(cardText(await click('setup.open', {}, { where: channel }))).toContain('Samordnare: 0.');
  });

  it('when someone without roles opens it, then it says who the administratörer are and offers no role choices', async () => {
    const { click, say } = await fresh();
    await click('setup.self', { organisationId: 'forbundskansliet', roles: 'samordnare' });
    const [reply] = await say('/kom igång', { from: users.erik });
    const card = cardOf(reply)!;
    expect(cardText(card)).toContain('Du har ingen roll ännu.');
    expect(cardText(card)).toContain('Be en administratör om en roll: Anna Samordnare.');
    expect(JSON.stringify(card)).not.toContain('setup.self');
    const refused = await click(
      'setup.self',
      { organisationId: '', roles: 'samordnare' },
      { from: users.erik },
    );
    expect(cardText(refused)).toContain('Bara en administratör kan ge roller.');
  });

  it('when the bot is added by the administratör, then she gets the setup card; added by someone else, the help card', async () => {
    const { bot, connector } = await fresh();
    await bot.post(botAdded({ serviceUrl: connector.url, where: channel }));
    expect(cardText(cardOf(connector.messages()[0]))).toContain('Kom igång med Finsam');
    connector.clear();
    await bot.post(botAdded({ serviceUrl: connector.url, from: users.erik, where: channel }));
    expect(cardText(cardOf(connector.messages()[0]))).toContain('Finsam – så använder du boten');
  });
});

describe('refusals say who can help', () => {
  it('when a member without roles asks for something that needs a role, then the answer names the administratörer', async () => {
    const { click, say } = await fresh();
    await click('setup.self', { organisationId: 'forbundskansliet', roles: 'samordnare' });
    const [reply] = await say('/gallring', { from: users.erik });
    expect(reply!.body.text).toContain('Be en administratör om rollen: Anna Samordnare.');
  });

  it('when an administratör lacks the role, then the refusal card offers Kom igång', async () => {
    const { click } = await fresh();
    const refused = await click(
      'setup.grant',
      { people: users.erik.id, role: 'coach' },
      { from: users.erik },
    );
    expect(cardText(refused)).toContain('Bara en administratör kan ge roller.');
    const card = await click('roles.list', {}, { from: users.erik });
    expect(JSON.stringify(card)).not.toContain('setup.open');
    const adminCard = await click('participants.list', {}, {});
    expect(JSON.stringify(adminCard)).toBeDefined();
  });
});

describe('help per person and place', () => {
  it('when a coach asks for help in the personal chat, then only the commands she can use there are listed, with "Visa alla"', async () => {
    const { click, say } = await fresh();
    await click(
      'setup.grant',
      { people: leila.id, role: 'coach', grantOrganisationId: 'eskilstuna' },
      { where: channel },
    );
    const [reply] = await say('/hjälp', { from: leila });
    const card = cardOf(reply)!;
    const text = cardText(card);
    expect(text).toContain('/deltagare');
    expect(text).not.toContain('/gallring');
    expect(text).not.toContain('/möte ny');
    expect(text).toContain('Du är coach.');
    expect(JSON.stringify(card)).toContain('"verb":"help.all"');
    const all = cardText(await click('help.all', {}, { from: leila }));
    expect(all).toContain('/gallring');
  });

  it('when the help shows a syntax with <roll>, then it is in plain text runs that the client does not read as markup', async () => {
    const { click } = await fresh();
    const card = await click('help.all', {});
    const runs = JSON.stringify(card).match(/"type":"TextRun","text":"[^"]*<roll>[^"]*"/g) ?? [];
    expect(runs.length).toBeGreaterThan(0);
  });
});

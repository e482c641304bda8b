import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_USERS } from '../../scripts/local/playground.js';
import { message } from '../support/activities.js';
import { FakeConnector } from '../support/fake-connector.js';
import type { HeadlessBrowser } from './support/browser.js';
import type { PlaygroundPage } from './support/playground-page.js';
import { openTeamsSession, postToBot, type TeamsSession } from './support/session.js';

/**
 * The ärendekö in the local Teams client, a screenshot per card: a case submitted through the
 * form (with samtycke), listed with /ärenden, planned for the channel's meeting with the queue
 * card's Planera button and decided on the decision card its Beslut button opens.
 */
let session: TeamsSession;
let browser: HeadlessBrowser;
let teams: PlaygroundPage;
let code = '';

beforeAll(async () => {
  session = await openTeamsSession({
    // The förbund's admin (Anna herself) makes Anna a samordnare at Förbundskansliet; the
    // Playground cannot @mention its own user, so this one command goes straight to the bot.
    setup: async (stack) => {
      const anna = PLAYGROUND_USERS[0]!;
      const connector = await new FakeConnector().start();
      await postToBot(
        stack,
        message(`/roller ge <at>${anna.name}</at> samordnare forbundskansliet`, {
          serviceUrl: connector.url,
          from: anna,
          mention: [anna],
        }),
      );
      await connector.stop();
    },
  });
  ({ browser, teams } = session);
  await teams.openChannel('Referensgrupp');
  await teams.sayMentioningBot('Finsam', '/möte ny');
  const form = await teams.expectCard(/^Ny mötesserie/);
  await form.getByLabel('Namn').fill('Psykiatri-avstämning');
  await form.getByLabel('Från och med').fill('2027-01-01');
  await form.getByRole('button', { name: 'Skapa mötesserien' }).click();
  await teams.expectCard('Mötesserien ”Psykiatri-avstämning” är skapad');
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('the ärendekö in the local Teams client', () => {
  it('when a case is submitted with samtycke, then the bot issues a code and shows no reason text', async () => {
    await teams.sayMentioningBot('Finsam', '/ärenden ny');
    const form = await teams.expectCard(/^Anmäl ärende/);
    await form.getByLabel('Fråga eller skäl').fill('Behöver samordnat stöd inför arbetsträning');
    await form
      .getByLabel('Vilken insats (t.ex. Sikta mot arbetslivet)')
      .fill('Sikta mot arbetslivet');
    await form.getByRole('checkbox').check();
    await browser.screenshot('30-case-form', form);
    await form.getByRole('button', { name: 'Anmäl ärendet' }).click();
    const submitted = await teams.expectCard(/Ärendet är anmält med koden Ä-\d{4}-\d{4}/);
    const text = await submitted.innerText();
    code = /Ä-\d{4}-\d{4}/.exec(text)![0];
    expect(text).not.toContain('Behöver samordnat stöd');
    await browser.screenshot('31-case-submitted', submitted);
  });

  it('when /ärenden is written in the channel, then the queue lists the case by code, status and organisation', async () => {
    await teams.sayMentioningBot('Finsam', '/ärenden');
    const queue = await teams.expectCard(/^Ärendekö/);
    const text = await queue.innerText();
    expect(text).toContain(code);
    expect(text).toContain('Inkommen (1)');
    expect(text).toContain('Förbundskansliet');
    expect(text).not.toContain('Behöver samordnat stöd');
    await browser.screenshot('32-case-queue', queue);
  });

  it('when the case is planned and decided with the buttons on its cards, then the decision card saves the decision', async () => {
    await teams.sayMentioningBot('Finsam', '/ärenden');
    const queue = await teams.expectCard(/^Ärendekö/);
    // The channel's copy shows what every member may see; the samordnare's own view (Teams
    // refreshes it for them, the Playground only on Visa mina val) has the next steps.
    await queue.getByRole('button', { name: 'Visa mina val', exact: true }).click();
    await queue.getByRole('button', { name: 'Planera', exact: true }).first().click();
    const planned = await teams.expectCard(`${code} är planerat till Psykiatri-avstämning`);
    await browser.screenshot('33-case-planned-by-button', planned);
    await planned.getByRole('button', { name: 'Beslut', exact: true }).click();
    const card = await teams.expectCard(`Beslut i ärende ${code}`);
    await expect(card.innerText()).resolves.toContain('Närvaron är inte registrerad');
    await expect(card.innerText()).resolves.not.toContain('Varning');
    await browser.screenshot('33b-case-decision-card', card);
    await card.getByRole('combobox').first().click();
    await browser.page.getByRole('option', { name: 'Beviljas insats' }).click();
    await card.getByLabel('Kort motivering').fill('Passar insatsens målgrupp.');
    await browser.screenshot('34-case-decision-form', card);
    await card.getByRole('button', { name: 'Spara beslutet' }).click();
    const decided = await teams.expectCard('Beslutet är sparat: beviljas insats.');
    // Anna's personal chat was opened outside the Playground (the setup's connector is gone),
    // so the enrolment form cannot be sent there: the card says how to enrol by hand.
    await expect(decided.innerText()).resolves.toContain(
      `Skriv in deltagaren i chatten med boten: /deltagare ny, med ärendekoden ${code}.`,
    );
    await expect(decided.innerText()).resolves.toContain('Beslut: Beviljas insats');
    await browser.screenshot('35-case-decided', decided);
  });
});

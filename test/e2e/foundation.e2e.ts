import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessBrowser } from './support/browser.js';
import type { PlaygroundPage } from './support/playground-page.js';
import { openTeamsSession, type TeamsSession } from './support/session.js';

/**
 * The product as a newcomer meets it: `npm start`'s stack (Azurite, the bot, the Agents
 * Playground) driven in headless Chromium. Screenshots land in test-artifacts/e2e/.
 */
let session: TeamsSession;
let browser: HeadlessBrowser;
let teams: PlaygroundPage;

beforeAll(async () => {
  session = await openTeamsSession({
    env: { SCHEDULER_ENABLED: 'true', REMINDER_TICK_SECONDS: '5' },
  });
  ({ browser, teams } = session);
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('the bot in the local Teams client', () => {
  it('when the app is installed, then the personal chat greets the user with the help card', async () => {
    await teams.expectCard('Hej! Finsam är nu tillagd här.');
    await browser.screenshot('01-personal-welcome');
  });

  it('when /hjälp is sent in personal chat, then the help card lists the commands', async () => {
    const before = await teams.cards('Finsam – så använder du boten').count();
    await teams.say('/hjälp');
    await expect
      .poll(() => teams.cards('Finsam – så använder du boten').count(), { timeout: 15_000 })
      .toBe(before + 1);
    const card = teams.cards('Finsam – så använder du boten').last();
    await expect(card.innerText()).resolves.toMatch(/\/påminnelser/);
    await browser.screenshot('02-personal-help');
  });

  it('when "Visa mina roller" is clicked, then the same card is updated in place to the roles card', async () => {
    const cardsBefore = await browser.page.locator('.ac-adaptiveCard').count();
    await teams
      .cards('Finsam – så använder du boten')
      .last()
      .getByRole('button', { name: 'Visa mina roller' })
      .click();
    const roles = await teams.expectCard('Dina roller');
    await expect(roles.innerText()).resolves.toMatch(/Administratör/);
    // Updated in place: no new card was added to the conversation.
    expect(await browser.page.locator('.ac-adaptiveCard').count()).toBe(cardsBefore);
    await browser.screenshot('03-personal-roles-updated');
  });

  it('when the bot is @mentioned with /hjälp in a team channel, then it answers there with the help card', async () => {
    await teams.openChannel('Referensgrupp');
    const before = await teams.cards('Finsam – så använder du boten').count();
    await teams.sayMentioningBot('Finsam', '/hjälp');
    await expect
      .poll(() => teams.cards('Finsam – så använder du boten').count(), { timeout: 15_000 })
      .toBe(before + 1);
    await browser.screenshot('04-channel-help');
  });

  it('when the bot is @mentioned with /roller in the group chat, then the admin sees the roles card', async () => {
    await teams.openChat('RSG-gruppen');
    await teams.sayMentioningBot('Finsam', '/roller');
    await teams.expectCard(/Roller i samordningsförbundet|Dina roller/);
    await browser.screenshot('05-group-chat-roles');
  });
});

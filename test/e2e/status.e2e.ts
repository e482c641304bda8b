import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessBrowser } from './support/browser.js';
import type { PlaygroundPage } from './support/playground-page.js';
import { openTeamsSession, type TeamsSession } from './support/session.js';

/** The status card, not the help card that mentions driftstatus too. */
const STATUS_CARD = /Kontrollerad \d/;

/** An administratör checks the bot's operations status from the personal chat. */
let session: TeamsSession;
let browser: HeadlessBrowser;
let teams: PlaygroundPage;

beforeAll(async () => {
  session = await openTeamsSession({});
  ({ browser, teams } = session);
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('/status in the local Teams client', () => {
  it('when an administratör writes /status, then the Driftstatus card shows the version and that storage answers', async () => {
    await teams.expectCard('Hej! Finsam är nu tillagd här.');
    await teams.say('/status');
    const card = await teams.expectCard(STATUS_CARD);
    const text = await card.innerText();
    expect(text).toMatch(/^Driftstatus/);
    expect(text).toMatch(/Version\s+0\.\d+\.\d+/);
    expect(text).toMatch(/Lagring\s+svarar/);
    expect(text).toMatch(/Påminnelser närmaste 24 h\s+0 påminnelser väntar/);
    await browser.screenshot('status-01-card');
  });

  it('when Uppdatera is clicked, then the same card is refreshed in place', async () => {
    const cardsBefore = await browser.page.locator('.ac-adaptiveCard').count();
    const checkedAt = async () =>
      /Kontrollerad (.+)/.exec(await teams.cards(STATUS_CARD).last().innerText())?.[1];
    const before = await checkedAt();
    expect(before).toMatch(/kl\. \d\d:\d\d:\d\d/);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await teams.cards(STATUS_CARD).last().getByRole('button', { name: 'Uppdatera' }).click();
    await expect.poll(checkedAt, { timeout: 15_000 }).not.toBe(before);
    await expect(teams.cards(STATUS_CARD).last().innerText()).resolves.toMatch(/Allt ser bra ut\./);
    expect(await browser.page.locator('.ac-adaptiveCard').count()).toBe(cardsBefore);
    await browser.screenshot('status-02-refreshed');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessBrowser } from './support/browser.js';
import type { PlaygroundPage } from './support/playground-page.js';
import { openTeamsSession, type TeamsSession } from './support/session.js';

/**
 * A referensgrupp run in the local Teams client, a screenshot per card: series form → list →
 * agenda with a new item → the item edited → final agenda → the meeting → minutes with an item
 * carried over.
 */
let session: TeamsSession;
let browser: HeadlessBrowser;
let teams: PlaygroundPage;

beforeAll(async () => {
  session = await openTeamsSession({});
  ({ browser, teams } = session);
  await teams.openChannel('Referensgrupp');
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('a referensgrupp in the local Teams client', () => {
  it('when a samordnare fills in /möte ny, then the series is created and listed', async () => {
    await teams.sayMentioningBot('Finsam', '/möte ny');
    const form = await teams.expectCard(/^Ny mötesserie/);
    await form.getByLabel('Namn').fill('Referensgrupp Sikta');
    await form.getByLabel('Från och med').fill('2027-01-01');
    await form.getByLabel('Plats eller Teams-länk').fill('Stadshuset, sal 2');
    await browser.screenshot('20-meeting-form', form);
    await form.getByRole('button', { name: 'Skapa mötesserien' }).click();
    const list = await teams.expectCard('Mötesserien ”Referensgrupp Sikta” är skapad');
    await expect(list.innerText()).resolves.toMatch(/tis 12 jan\.? 09:00/);
    await browser.screenshot('21-meeting-list', list);
  });

  it('when the agenda is opened and an item added, then it shows on the agenda', async () => {
    const list = teams.cards(/^Kommande möten/).last();
    await list.getByRole('button', { name: 'Öppna' }).first().click();
    const agenda = await teams.expectCard(/^Kallelse · Referensgrupp/);
    await agenda.getByRole('button', { name: 'Lägg till punkt' }).click();
    await agenda.getByLabel('Rubrik').fill('Gemensam kartläggning');
    await agenda.getByLabel('Föredragande').fill('Anna Samordnare');
    await agenda.getByRole('button', { name: 'Lägg till', exact: true }).click();
    const updated = await teams.expectCard('”Gemensam kartläggning” är tillagd på dagordningen.');
    await expect(updated.innerText()).resolves.toContain('§ 1 Gemensam kartläggning');
    await browser.screenshot('22-agenda-with-item', updated);
  });

  it('when the author changes the item under Hantera, then the agenda shows the new text', async () => {
    const agenda = teams.cards(/^Kallelse · Referensgrupp/).last();
    await agenda.getByRole('button', { name: 'Hantera' }).first().click();
    const item = await teams.expectCard(/^Punkt på dagordningen/);
    await browser.screenshot('22-agenda-item-manage', item);
    await item.getByRole('button', { name: 'Ändra punkten' }).click();
    const form = await teams.expectCard(/^Ändra punkt/);
    await form.getByLabel('Rubrik').fill('Gemensam kartläggningsmall');
    await form.getByLabel('Minuter som behövs').fill('25');
    await browser.screenshot('22a-agenda-item-edit', form);
    await form.getByRole('button', { name: 'Spara ändringen' }).click();
    const updated = await teams.expectCard('”Gemensam kartläggningsmall” är ändrad.');
    await expect(updated.innerText()).resolves.toContain('§ 1 Gemensam kartläggningsmall');
    await expect(updated.innerText()).resolves.toContain('25 min');
    await browser.screenshot('22b-agenda-item-edited', updated);
  });

  it('when a second item is added, then the agenda has two', async () => {
    const agenda = teams.cards(/^Kallelse · Referensgrupp/).last();
    await agenda.getByRole('button', { name: 'Lägg till punkt' }).click();
    await agenda.getByLabel('Rubrik').fill('Remissvägar från psykiatrin');
    await agenda.getByRole('button', { name: 'Lägg till', exact: true }).click();
    const updated = await teams.expectCard('”Remissvägar från psykiatrin” är tillagd');
    await expect(updated.innerText()).resolves.toContain('2 punkter, 35 av 90 min');
  });

  it('when the samordnare sends the final agenda and starts the meeting, then the meeting card opens', async () => {
    const agenda = teams.cards(/^Kallelse · Referensgrupp/).last();
    await agenda.getByRole('button', { name: 'Visa dagordning' }).click();
    const dagordning = await teams.expectCard(/^Dagordning/);
    await expect(dagordning.innerText()).resolves.toMatch(/09:00\s*§ 1 Gemensam kartläggning/);
    await browser.screenshot('23-dagordning', dagordning);
    await dagordning.getByRole('button', { name: 'Starta mötet' }).click();
    const running = await teams.expectCard(/^Mötet pågår/);
    await browser.screenshot('24-meeting-running', running);
  });

  it('when a decision is recorded and the meeting closed, then the minutes show it and the item not handled moves on', async () => {
    const run = teams.cards(/^Mötet pågår/).last();
    await run.getByRole('button', { name: 'Anteckna' }).first().click();
    const form = await teams.expectCard(/^Anteckna · Referensgrupp Sikta/);
    await form
      .getByLabel('Beslut (lämna tomt om inget beslut)')
      .fill('Mallen används från februari.');
    await browser.screenshot('24a-meeting-record-form', form);
    await form.getByRole('button', { name: 'Spara punkten' }).click();
    await teams.expectCard('Punkten är sparad.');
    const saved = teams.cards(/^Mötet pågår/).last();
    await saved.getByRole('button', { name: 'Avsluta mötet' }).click();
    await saved.getByRole('button', { name: 'Avsluta och skicka minnesanteckningar' }).click();
    const minutes = await teams.expectCard(/^Minnesanteckningar\s*Referensgrupp Sikta/);
    await expect(minutes.innerText()).resolves.toContain('Mallen används från februari.');
    await expect(minutes.innerText()).resolves.toMatch(
      /Flyttas till nästa möte\s*•\s*Remissvägar från psykiatrin/,
    );
    await browser.screenshot('25-minutes', minutes);
    await minutes.getByRole('button', { name: 'Hämta som Word' }).click();
    const offered = await teams.expectCard(
      /Minnesanteckningarna som Word-fil finns i din personliga chatt/,
    );
    await browser.screenshot('25a-minutes-word', offered);
  });
});

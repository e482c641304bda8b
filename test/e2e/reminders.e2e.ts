import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessBrowser } from './support/browser.js';
import type { PlaygroundPage } from './support/playground-page.js';
import { openTeamsSession, type TeamsSession } from './support/session.js';

/**
 * A reminder scheduled a minute ahead appears in the channel by itself: stored in Azurite,
 * claimed by the scheduler loop, sent proactively through the stored conversation reference.
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

describe('reminders in the local Teams client', () => {
  it('when a samordnare schedules a reminder one minute ahead in a channel, then it appears there by itself', async () => {
    await teams.openChannel('Referensgrupp');
    await teams.sayMentioningBot(
      'Finsam',
      '/påminnelser ny om 1 min Skicka in punkter till referensgruppen',
    );
    await browser.page
      .getByText(/Påminnelsen skickas här .* kl\. \d\d:\d\d\./)
      .last()
      .waitFor({ state: 'visible', timeout: 15_000 });
    await browser.screenshot('10-reminder-scheduled');

    const reminder = teams.cards('Skicka in punkter till referensgruppen').filter({
      hasText: 'Planerad',
    });
    await expect.poll(() => reminder.count(), { timeout: 100_000, interval: 2_000 }).toBe(1);
    await browser.screenshot('11-reminder-delivered');
  });
});

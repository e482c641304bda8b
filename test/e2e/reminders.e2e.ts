import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../scripts/local/stack.js';
import { openBrowser, type HeadlessBrowser } from './support/browser.js';
import { PlaygroundPage } from './support/playground-page.js';

/**
 * A reminder scheduled a minute ahead appears in the channel by itself: stored in Azurite,
 * claimed by the scheduler loop, sent proactively through the stored conversation reference.
 */
let stack: LocalStack;
let browser: HeadlessBrowser;
let teams: PlaygroundPage;

beforeAll(async () => {
  stack = await startLocalStack({
    botPort: 0,
    playgroundPort: 56161,
    env: { LOG_LEVEL: 'warn', SCHEDULER_ENABLED: 'true', REMINDER_TICK_SECONDS: '5' },
  });
  browser = await openBrowser();
  teams = new PlaygroundPage(browser.page);
  await teams.open(stack.playgroundUrl);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
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

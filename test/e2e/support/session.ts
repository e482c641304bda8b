import { createServer } from 'node:net';
import { expect } from 'vitest';
import { startLocalStack, type LocalStack } from '../../../scripts/local/stack.js';
import { openBrowser, type HeadlessBrowser } from './browser.js';
import { PlaygroundPage } from './playground-page.js';

export interface TeamsSession {
  readonly stack: LocalStack;
  readonly browser: HeadlessBrowser;
  readonly teams: PlaygroundPage;
  close(): Promise<void>;
}

/**
 * The bot with its storage and the Agents Playground (`npm start`'s stack) and headless
 * Chromium showing it. `setup` runs once the bot listens and before the Playground is opened.
 */
export async function openTeamsSession(options: {
  /** Chosen free at run time when not given. */
  playgroundPort?: number;
  env?: Record<string, string>;
  setup?: (stack: LocalStack) => Promise<void>;
}): Promise<TeamsSession> {
  const stack = await startLocalStack({
    botPort: 0,
    playgroundPort: options.playgroundPort ?? (await freePort()),
    // The flows click faster than anyone does: a meeting's posted cards are updated on every
    // change, so an update held back by the throttle (test/integration/card-update-delay.test.ts)
    // never lands on a form the flow has just opened in the same message.
    env: {
      LOG_LEVEL: 'warn',
      SCHEDULER_ENABLED: 'false',
      CARD_UPDATE_DELAY_MS: '0',
      ...options.env,
    },
  });
  let browser: HeadlessBrowser | undefined;
  try {
    await options.setup?.(stack);
    browser = await openBrowser();
    const teams = new PlaygroundPage(browser.page);
    await teams.open(stack.playgroundUrl);
    const opened = browser;
    return {
      stack,
      browser: opened,
      teams,
      async close() {
        await opened.close();
        await stack.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await stack.stop();
    throw error;
  }
}

/**
 * Setup the Playground cannot do itself (it acts as its first user only): an activity straight
 * to the bot's endpoint. Answers the invoke response's card, if any.
 */
export async function postToBot(stack: LocalStack, activity: object): Promise<unknown> {
  const response = await fetch(`${stack.bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  expect(response.status).toBe(200);
  const text = await response.text();
  return text ? (JSON.parse(text) as { value?: unknown }).value : undefined;
}

/** A port nothing listens on right now (the Playground binds every interface, so ask there). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '0.0.0.0', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

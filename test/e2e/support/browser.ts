import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';

/** Where screenshots are kept for CI to publish. */
export const artifactsDir = join(process.cwd(), 'test-artifacts', 'e2e');

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export interface HeadlessBrowser {
  readonly page: Page;
  /** The whole page, or just `element` (e.g. one card) when given. */
  screenshot(name: string, element?: Locator): Promise<string>;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, with a fresh temporary profile (Playwright's default). Requests that leave the machine are
 * blocked so a run never depends on the network (the Playground asks a CDN for an animation).
 */
export async function openBrowser(): Promise<HeadlessBrowser> {
  const executablePath = process.env.CHROMIUM_PATH ?? candidates.find((path) => existsSync(path));
  if (!executablePath) throw new Error('Chromium not found: install Debian chromium');
  const browser: Browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
    locale: 'sv-SE',
  });
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    const loopback = hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
    return loopback ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  mkdirSync(artifactsDir, { recursive: true });
  return {
    page,
    async screenshot(name, element) {
      const path = join(artifactsDir, `${name}.png`);
      if (element) {
        // A card taller than the window is clipped by the chat's scroll pane: grow the window.
        const box = await element.boundingBox();
        const viewport = page.viewportSize() ?? { width: 1400, height: 1000 };
        const tall = box !== null && box.height > viewport.height - 200;
        if (tall) await page.setViewportSize({ ...viewport, height: Math.ceil(box.height + 400) });
        await element.screenshot({ path });
        if (tall) await page.setViewportSize(viewport);
      } else await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await browser.close();
    },
  };
}

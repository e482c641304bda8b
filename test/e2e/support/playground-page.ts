import type { Locator, Page } from 'playwright-core';

/**
 * The Agents Playground's screen, in the words a test needs: open a chat or channel, write to
 * the bot, find the bot's cards and press their buttons. Selectors follow the Playground's
 * accessible names (tree items, buttons) and its Lexical editor.
 */
export class PlaygroundPage {
  /** Whether a team channel is open (new posts go by the Post button) or a chat (Enter). */
  private inChannel = false;

  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.editor().waitFor({ state: 'visible', timeout: 30_000 });
  }

  async openChat(name: 'Personal Chat' | 'RSG-gruppen'): Promise<void> {
    await this.page.getByRole('treeitem', { name }).click();
    await this.editor().waitFor({ state: 'visible' });
    this.inChannel = false;
  }

  async openChannel(name: string): Promise<void> {
    await this.page.getByRole('treeitem', { name: `Samordningsförbundet - ${name}` }).click();
    await this.editor().waitFor({ state: 'visible' });
    this.inChannel = true;
  }

  /** Sends text in a chat (Enter sends). */
  async say(text: string): Promise<void> {
    const editor = this.editor();
    await editor.click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }

  /**
   * Writes to the bot with an @mention, as Teams requires in channels and group chats. A channel
   * has a "Post" button for a new post; a chat sends on Enter.
   */
  async sayMentioningBot(botName: string, text: string): Promise<void> {
    const editor = this.editor();
    await editor.click();
    await this.page.keyboard.type(`@${botName.slice(0, 3)}`);
    await this.page.locator('#typeahead-menu').getByText(botName).click();
    await this.page.keyboard.type(` ${text}`);
    // Waits for the Post button in a channel: pressing Enter before it is there only adds a line.
    if (this.inChannel) await this.page.getByRole('button', { name: 'Post', exact: true }).click();
    else await this.page.keyboard.press('Enter');
  }

  /** The rendered Adaptive Cards whose text contains `text`, newest last. */
  cards(text: string | RegExp): Locator {
    return this.page.locator('.ac-adaptiveCard').filter({ hasText: text });
  }

  /**
   * The newest card with `text`, once visible. When it does not come, the page as it was is kept
   * in `test-artifacts/e2e/failed-<time>.png` to see what came instead.
   */
  async expectCard(text: string | RegExp, timeout = 15_000): Promise<Locator> {
    const card = this.cards(text).last();
    try {
      await card.waitFor({ state: 'visible', timeout });
    } catch (error) {
      await this.page
        .screenshot({ path: `test-artifacts/e2e/failed-${Date.now()}.png`, fullPage: true })
        .catch(() => undefined);
      throw error;
    }
    return card;
  }

  private editor(): Locator {
    return this.page.locator('[data-lexical-editor="true"]:visible').first();
  }
}

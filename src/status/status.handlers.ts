import { z } from 'zod';
import { cardMessage, textMessage, type Capability } from '../bot/bot.js';
import { cardAttachment, renderCard } from '../bot/card-renderer.js';
import { commandTable } from '../bot/command-table.js';
import { invalidInput } from '../errors.js';
import { foldForLookup } from '../text.js';
import { statusView } from './status.cards.js';
import type { StatusService } from './status.service.js';

/** Verbs of the status card. */
export type StatusVerb = 'status.refresh';

const usage = commandTable.find((command) => command.name === 'status')?.usage ?? [];

export function statusCapability(status: StatusService): Capability {
  return (routes) => {
    routes.command('status', async ({ turn, principal, command }) => {
      const [first, ...rest] = command.args.map((word) => foldForLookup(word));
      if (first === 'hjalp' || first === 'help') {
        await turn.sendActivity(textMessage(['Så här används /status:', ...usage].join('\n\n')));
        return;
      }
      if (first !== undefined || rest.length > 0) {
        throw invalidInput('/status tar inga argument. Skriv /status eller /status hjälp.');
      }
      const report = await status.report(principal);
      await turn.sendActivity(cardMessage(cardAttachment('status', statusView(report))));
    });

    routes.cardAction('status.refresh' satisfies StatusVerb, z.object({}).loose(), async (ctx) =>
      renderCard('status', statusView(await status.report(ctx.principal))),
    );
  };
}

import { z } from 'zod';
import type { Capability } from '../bot/bot.js';
import { renderCard } from '../bot/card-renderer.js';
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
    routes.command('status', async ({ reply, principal, command }) => {
      const [first, ...rest] = command.args.map((word) => foldForLookup(word));
      if (first === 'hjalp' || first === 'help') {
        await reply(['Så här används /status:', ...usage].join('\n\n'));
        return;
      }
      if (first !== undefined || rest.length > 0) {
        throw invalidInput('/status tar inga argument. Skriv /status eller /status hjälp.');
      }
      const report = await status.report(principal);
      await reply(renderCard('status', statusView(report)));
    });

    routes.cardAction({
      verb: 'status.refresh' satisfies StatusVerb,
      schema: z.object({}),
      handle: async (ctx) => renderCard('status', statusView(await status.report(ctx.principal))),
    });
  };
}

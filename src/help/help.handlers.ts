import { z } from 'zod';
import { hasRole } from '../access/access.schema.js';
import type { Capability } from '../bot/bot.js';
import { renderCard } from '../bot/card-renderer.js';
import { helpView } from './help.cards.js';

export const helpCapability: Capability = (routes) => {
  routes.command('hjälp', async (turn) => {
    await turn.reply(
      renderCard('help', helpView({ principal: turn.principal, place: turn.conversationKind })),
    );
  });

  routes.cardAction({
    verb: 'help.all',
    schema: z.object({}),
    handle: async (turn) => renderCard('help', helpView({ principal: turn.principal, all: true })),
  });

  routes.unknownCommand(async (turn) => {
    const notice = 'Jag känner inte igen det kommandot. Här är de du kan använda här:';
    await turn.reply(
      renderCard(
        'help',
        helpView({ notice, principal: turn.principal, place: turn.conversationKind }),
      ),
    );
  });

  /** Administratörer get the setup card instead (see the setup capability). */
  routes.welcome(async (turn) => {
    if (hasRole(turn.principal, 'admin')) return;
    const notice = 'Hej! Finsam är nu tillagd här.';
    await turn.reply(
      renderCard(
        'help',
        helpView({ notice, principal: turn.principal, place: turn.conversationKind }),
      ),
    );
  });
};

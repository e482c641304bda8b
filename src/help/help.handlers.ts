import type { Capability } from '../bot/bot.js';
import { renderCard } from '../bot/card-renderer.js';
import { helpView } from './help.cards.js';

export const helpCapability: Capability = (routes) => {
  routes.command('hjälp', async (turn) => {
    await turn.reply(renderCard('help', helpView()));
  });

  routes.unknownCommand(async (conversation) => {
    const notice = 'Jag känner inte igen det kommandot. Här är de som finns:';
    await conversation.reply(renderCard('help', helpView({ notice })));
  });

  routes.welcome(async (conversation) => {
    const notice = 'Hej! Finsam är nu tillagd här.';
    await conversation.reply(renderCard('help', helpView({ notice })));
  });
};

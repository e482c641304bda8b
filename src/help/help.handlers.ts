import { cardMessage, type Capability } from '../bot/bot.js';
import { cardAttachment } from '../bot/card-renderer.js';
import { helpView } from './help.cards.js';

export const helpCapability: Capability = (routes) => {
  routes.command('hjälp', async ({ turn }) => {
    await turn.sendActivity(cardMessage(cardAttachment('help', helpView())));
  });

  routes.unknownCommand(async (turn) => {
    const notice = 'Jag känner inte igen det kommandot. Här är de som finns:';
    await turn.sendActivity(cardMessage(cardAttachment('help', helpView({ notice }))));
  });

  routes.welcome(async (turn) => {
    const notice = 'Hej! Finsam är nu tillagd här.';
    await turn.sendActivity(cardMessage(cardAttachment('help', helpView({ notice }))));
  });
};

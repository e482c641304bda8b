import { join } from 'node:path';
import { exitOnConfigError } from '../../src/config.js';
import { startLocalStack } from './stack.js';

/** `npm start`: the bot with embedded storage and the local Teams client, until Ctrl+C. */
const dataDir = join(process.cwd(), '.data', 'azurite');
const stack = await startLocalStack({
  dataDir,
  azuritePort: Number(process.env.AZURITE_PORT ?? 10002),
  botPort: Number(process.env.PORT ?? 3978),
  playgroundPort: Number(process.env.PLAYGROUND_PORT ?? 56150),
  env: process.env,
}).catch(exitOnConfigError);

console.log(`
  Finsam körs lokalt (LOCAL MODE – inga Bot Framework-uppgifter, anrop autentiseras INTE).

  Öppna Teams-klienten (Agents Playground):  ${stack.playgroundUrl}
  Botens endpoint:                           ${stack.bot.url}/api/messages
  Hälsokontroll:                             ${stack.bot.url}/healthz
  Lagring (Azurite, sparas i ${dataDir})

  Prova /hjälp i den personliga chatten, eller @Finsam /hjälp i en kanal.
  Avsluta med Ctrl+C.
`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stänger Playground, boten och lagringen …`);
  await stack.stop();
  console.log('Stängt. Data är sparad.');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

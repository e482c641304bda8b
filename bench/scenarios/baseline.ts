import { TableClient } from '@azure/data-tables';
import { cardAction, message } from '../../test/support/activities.js';
import { startBotProcess } from '../../test/support/bot-process.js';
import type { BenchContext } from '../support/context.js';
import { postActivity, runLevel, warmUp, type LevelResult } from '../support/load.js';
import { latencyStats, type LatencyStats } from '../support/stats.js';

export interface BaselineResult {
  /** A bare botbuilder bot: a message answered with one reply through the connector. */
  readonly echoMessage: LevelResult[];
  /** The same bot answering a card action with a card. */
  readonly echoInvoke: LevelResult[];
  /** Raw Azurite latency, straight to the emulator. */
  readonly storage: { write: LatencyStats; read: LatencyStats };
}

const PER_USER: Record<number, number> = { 1: 60, 8: 30, 32: 15 };

export async function measureBaseline(ctx: BenchContext): Promise<BaselineResult> {
  const echo = await startBotProcess({}, 20_000, ['--import', 'tsx', 'bench/echo-bot.ts']);
  try {
    const where = { kind: 'channel' as const, conversationId: '19:echo@thread.tacv2' };
    const echoMessage: LevelResult[] = [];
    const echoInvoke: LevelResult[] = [];
    const sendMessage = async (user: number) => {
      const activity = message('/hjälp', {
        serviceUrl: ctx.connector.url,
        from: ctx.users[user]!,
        where,
      });
      return (await postActivity(echo.url, activity)).status === 200;
    };
    const sendCardAction = async (user: number) => {
      const activity = cardAction(
        'agenda.add',
        { title: 'x' },
        { serviceUrl: ctx.connector.url, from: ctx.users[user]!, where },
      );
      return (await postActivity(echo.url, activity)).status === 200;
    };
    await warmUp(sendMessage);
    await warmUp(sendCardAction);
    for (const users of ctx.levels) {
      const perUser = PER_USER[users] ?? 15;
      echoMessage.push(await runLevel(users, perUser, sendMessage));
      echoInvoke.push(await runLevel(users, perUser, sendCardAction));
    }
    return { echoMessage, echoInvoke, storage: await rawStorage(ctx) };
  } finally {
    await echo.kill('SIGTERM');
  }
}

/** Card actions at 1 and 8 users, as many per user as the agenda scenario's. */
const WITH_STORAGE: Record<number, number> = { 1: 30, 8: 20 };

/**
 * The echo bot doing an agenda item's table operations (straight to Azurite, on `table`, which
 * the agenda's storage-alone run filled) before its one-line card, warmed like the others, then
 * at 1 and 8 users: the floor of that action for a bot on botbuilder and the Table SDK here.
 */
export async function measureEchoWithAgendaStorage(
  ctx: BenchContext,
  table: string,
): Promise<LevelResult[]> {
  const echo = await startBotProcess(
    { ECHO_STORAGE: ctx.azurite.connectionString, ECHO_TABLE: table },
    20_000,
    ['--import', 'tsx', 'bench/echo-bot.ts'],
  );
  try {
    const where = { kind: 'channel' as const, conversationId: '19:echo@thread.tacv2' };
    const send = async (user: number) => {
      const activity = cardAction(
        'agenda.add',
        { user },
        { serviceUrl: ctx.connector.url, from: ctx.users[user]!, where },
      );
      return (await postActivity(echo.url, activity)).status === 200;
    };
    await warmUp(send);
    const levels: LevelResult[] = [];
    for (const [users, perUser] of Object.entries(WITH_STORAGE)) {
      levels.push(await runLevel(Number(users), perUser, send));
    }
    return levels;
  } finally {
    await echo.kill('SIGTERM');
  }
}

async function rawStorage(ctx: BenchContext) {
  const table = TableClient.fromConnectionString(ctx.azurite.connectionString, 'benchRaw', {
    allowInsecureConnection: true,
  });
  await table.createTable();
  const writes: number[] = [];
  const reads: number[] = [];
  for (let n = 0; n < 300; n++) {
    const entity = { partitionKey: 'p', rowKey: `r${n}`, title: 'Referensgrupp', minutes: n };
    let started = performance.now();
    await table.createEntity(entity);
    writes.push(performance.now() - started);
    started = performance.now();
    await table.getEntity('p', `r${n}`);
    reads.push(performance.now() - started);
  }
  return { write: latencyStats(writes), read: latencyStats(reads) };
}

import { randomUUID } from 'node:crypto';
import { addDays } from '../../src/schedule/local-time.js';
import { cardAction } from '../../test/support/activities.js';
import type { BotProcess } from '../../test/support/bot-process.js';
import type { BenchContext } from '../support/context.js';
import { postActivity, runLevel, type LevelResult } from '../support/load.js';

export interface CardActionResult extends LevelResult {
  readonly tableOpsPerAction: number;
  readonly rssMiB: number;
}

const PER_USER: Record<number, number> = { 1: 30, 8: 20, 32: 10 };
/** A channel per level, so each level's series is the only one its list card shows. */
const channel = (users: number) => ({
  kind: 'channel' as const,
  conversationId: `19:bench-agenda-${users}@thread.tacv2`,
});

/**
 * Members adding agenda items through the kallelse card (Action.Execute, the card comes back).
 * Each virtual user adds to the agenda of its own meeting date, as members of different
 * channels would; a fresh series per level keeps every agenda under its 40-item limit.
 * @remarks The table operations counted per action are those of the whole request: the answer
 * path (one read of the series' headers and the meeting's elements, in parallel, and one
 * transaction) plus the principal and, after the answer, the update of a posted kallelse.
 */
export async function measureAgendaAdd(
  ctx: BenchContext,
  bot: BotProcess,
): Promise<CardActionResult[]> {
  const results: CardActionResult[] = [];
  for (const users of ctx.levels) {
    const meetingId = await createSeries(ctx, bot, users);
    const dates = seriesDates(users);
    const opsBefore = ctx.proxy.count;
    const level = await runLevel(users, PER_USER[users] ?? 10, async (user, iteration) => {
      const activity = cardAction(
        'agenda.add',
        {
          meetingId,
          date: dates[user],
          requestId: randomUUID(),
          title: `Punkt ${iteration + 1} från användare ${user + 1}`,
          description: 'Genomgång av gemensamma rutiner för kartläggning.',
          category: 'fraga',
          presenter: ctx.users[user]!.name,
          minutes: '5',
        },
        { serviceUrl: ctx.connector.url, from: ctx.users[user]!, where: channel(users) },
      );
      const { status, body } = await postActivity(bot.url, activity);
      return status === 200 && JSON.stringify(body).includes('är tillagd på dagordningen');
    });
    const actions = level.latency.count;
    results.push({
      ...level,
      tableOpsPerAction: Math.round(((ctx.proxy.count - opsBefore) / actions) * 10) / 10,
      rssMiB: bot.memory().rssMiB,
    });
  }
  return results;
}

const today = () =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());

/** Weekly meeting dates from two months ahead, so every one is open for items. */
function seriesDates(count: number): string[] {
  const first = addDays(today(), 60);
  return Array.from({ length: Math.max(count, 1) }, (_, n) => addDays(first, 7 * n));
}

async function createSeries(ctx: BenchContext, bot: BotProcess, users: number): Promise<string> {
  const dates = seriesDates(users);
  const activity = cardAction(
    'meeting.create',
    {
      requestId: randomUUID(),
      type: 'referensgrupp',
      name: `Referensgrupp last ${users}`,
      recurrence: 'dates',
      dates: dates.join(', '),
      startDate: today(),
      time: '09:00',
      place: 'Teams',
      organisations: 'fk,region',
      holidayPolicy: 'keep',
      summerBreak: 'false',
    },
    { serviceUrl: ctx.connector.url, from: ctx.users[0]!, where: channel(users) },
  );
  const { body } = await postActivity(bot.url, activity);
  const meetingId = /"meetingId":"([^"]+)"/.exec(JSON.stringify(body))?.[1];
  if (!meetingId) throw new Error(`The series was not created: ${JSON.stringify(body)}`);
  return meetingId;
}

import { newId } from '../../src/ids.js';
import { addDays } from '../../src/schedule/local-time.js';
import { cardAction } from '../../test/support/activities.js';
import type { BotProcess } from '../../test/support/bot-process.js';
import type { BenchContext } from '../support/context.js';
import { measureAnswerPath, nowEpoch, type AnswerPathResult } from '../support/answer-path.js';
import { postActivity, runLevel, warmUp, WARM_UP, type LevelResult } from '../support/load.js';
import { withUsage } from '../support/process-stats.js';

export interface CardActionResult extends LevelResult {
  readonly tableOpsPerAction: number;
  /** CPU time of the bot process per action (user + system), in milliseconds. */
  readonly cpuMsPerAction: number;
  /** Peak resident memory of the bot process during the level. */
  readonly rssMiB: number;
}

export interface AgendaResult {
  readonly levels: CardActionResult[];
  readonly answerPath: AnswerPathResult;
}

const PER_USER: Record<number, number> = { 1: 30, 8: 20, 32: 10 };
/** A channel per level, so each level's series is the only one its list card shows. */
const channel = (users: number | 'sampled' | 'warm-up') => ({
  kind: 'channel' as const,
  conversationId: `19:bench-agenda-${users}@thread.tacv2`,
});

/**
 * Members adding agenda items through the kallelse card (Action.Execute, the card comes back).
 * Each virtual user adds to the agenda of its own meeting date, as members of different
 * channels would; a fresh series per level keeps every agenda under its 40-item limit.
 * @remarks The table operations counted per action under load are those of the whole request
 * (the principal and, after the answer, the update of a posted kallelse included); the sampled
 * pass at one user splits them at the answer.
 */
export async function measureAgendaAdd(ctx: BenchContext, bot: BotProcess): Promise<AgendaResult> {
  const add = (
    meetingId: string,
    date: string,
    user: number,
    n: number,
    users: number | 'sampled' | 'warm-up',
  ) =>
    cardAction(
      'agenda.add',
      {
        meetingId,
        date,
        requestId: newId(),
        title: `Punkt ${n + 1} från användare ${user + 1}`,
        description: 'Genomgång av gemensamma rutiner för kartläggning.',
        category: 'fraga',
        presenter: ctx.users[user]!.name,
        minutes: '5',
      },
      { serviceUrl: ctx.connector.url, from: ctx.users[user]!, where: channel(users) },
    );
  const added = (body: unknown) => JSON.stringify(body).includes('är tillagd på dagordningen');
  const warmUpId = await createSeries(ctx, bot, 'warm-up');
  const warmUpDates = seriesDates(WARM_UP.users);
  await warmUp(async (user, iteration) => {
    const activity = add(warmUpId, warmUpDates[user]!, user, iteration, 'warm-up');
    const { status, body } = await postActivity(bot.url, activity);
    return status === 200 && added(body);
  });
  const levels: CardActionResult[] = [];
  for (const users of ctx.levels) {
    const meetingId = await createSeries(ctx, bot, users);
    const dates = seriesDates(users);
    const opsBefore = ctx.proxy.count;
    const { result: level, ...usage } = await withUsage(
      bot.pid,
      () =>
        runLevel(users, PER_USER[users] ?? 10, async (user, iteration) => {
          const activity = add(meetingId, dates[user]!, user, iteration, users);
          const { status, body } = await postActivity(bot.url, activity);
          return status === 200 && added(body);
        }),
      (result) => result.latency.count,
    );
    levels.push({
      ...level,
      tableOpsPerAction:
        Math.round(((ctx.proxy.count - opsBefore) / level.latency.count) * 10) / 10,
      cpuMsPerAction: usage.cpuMsPerAction,
      rssMiB: usage.peakMiB,
    });
  }
  const meetingId = await createSeries(ctx, bot, 'sampled');
  const date = seriesDates(1)[0]!;
  const answerPath = await measureAnswerPath(
    ctx.proxy,
    async (n) => {
      const { status, body } = await postActivity(bot.url, add(meetingId, date, 0, n, 'sampled'));
      return { ok: status === 200 && added(body), answeredAt: nowEpoch() };
    },
    // The posted kallelse is updated at most once per CARD_UPDATE_DELAY_MS (1 s by default).
    { settleMs: 1_500 },
  );
  return { levels, answerPath };
}

const today = () =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());

/** Weekly meeting dates from two months ahead, so every one is open for items. */
function seriesDates(count: number): string[] {
  const first = addDays(today(), 60);
  return Array.from({ length: Math.max(count, 1) }, (_, n) => addDays(first, 7 * n));
}

async function createSeries(
  ctx: BenchContext,
  bot: BotProcess,
  users: number | 'sampled' | 'warm-up',
): Promise<string> {
  const dates = seriesDates(users === 'sampled' ? 1 : users === 'warm-up' ? WARM_UP.users : users);
  const activity = cardAction(
    'meeting.create',
    {
      requestId: newId(),
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

import { cardAction, message, type TestUser } from '../../test/support/activities.js';
import type { BotProcess } from '../../test/support/bot-process.js';
import { cardOf } from '../../test/support/fake-connector.js';
import { formatNumber } from '../../src/reports/number-format.js';
import { startBenchBot } from '../support/bot.js';
import type { BenchContext } from '../support/context.js';
import { postActivity } from '../support/load.js';
import { cpuMs, memoryWindow } from '../support/process-stats.js';
import { latencyStats, type LatencyStats } from '../support/stats.js';
import { benchCode, PERIOD_END } from './participants.js';

/** One report (or series of reports) with what it cost the bot process. */
export interface ReportCost {
  readonly latency: LatencyStats;
  readonly tableOps: number;
  /** CPU time of the bot process per report, in milliseconds. */
  readonly cpuMsPerReport: number;
}

export interface ReportResult {
  readonly participants: number;
  readonly events: number;
  /** Reports on a running bot with nothing changed since its previous report. */
  readonly latency: LatencyStats;
  /** The same report as a Word file: counted, written, stored and offered as a link. */
  readonly documentLatency: LatencyStats;
  readonly documentBytes: number;
  readonly tableOps: number;
  /** CPU time of the bot process per report card, in milliseconds. */
  readonly cpuMsPerReport: number;
  /** Peak resident memory of the bot process over the report cards and the Word files. */
  readonly rssMiB: number;
  /** Reports on the running bot, each right after 8 participant steps were recorded. */
  readonly afterSteps: ReportCost & { readonly steps: number };
  /** The first report of a bot process started for it (its full read of every länsdel). */
  readonly firstReport: ReportCost & { readonly rssMiB: number };
}

/** Report runs measured, after one that is not (the first use of the code paths). */
const REPORT_RUNS = 10;
const AFTER_STEP_RUNS = 5;
const STEPS_BEFORE_REPORT = 8;
const DOCUMENT_RUNS = 5;
/** Participants the steps before a report are recorded on (the step scenario uses the first). */
const FIRST_STEPPED = 9_000;

interface Seeded {
  readonly count: number;
  readonly enrolledByPeriodEnd: number;
  readonly events: number;
}

/** `/rapport 2026-06-30`, timed; the card must show the number enrolled by the period end. */
async function timedReport(ctx: BenchContext, bot: BotProcess, from: TestUser, seeded: Seeded) {
  const conversation = `a:personal-${from.id}`;
  ctx.connector.clear();
  const before = performance.now();
  const { status } = await postActivity(
    bot.url,
    message(`/rapport ${PERIOD_END}`, { serviceUrl: ctx.connector.url, from }),
  );
  const ms = performance.now() - before;
  const card = JSON.stringify(cardOf(ctx.connector.messages(conversation).at(-1)) ?? {});
  const expected = `"title":"Inskrivna sedan start","value":"${formatNumber(seeded.enrolledByPeriodEnd)} (`;
  if (status !== 200 || !card.includes(expected)) {
    throw new Error(
      `The report did not count ${seeded.enrolledByPeriodEnd}: ${card.slice(0, 400)}`,
    );
  }
  return ms;
}

/** Reports timed one at a time, with `between` run (untimed) before each. */
async function series(
  ctx: BenchContext,
  bot: BotProcess,
  seeded: Seeded,
  runs: number,
  between: (run: number) => Promise<void>,
): Promise<ReportCost> {
  const from = ctx.users[0]!;
  const samples: number[] = [];
  let cpu = 0;
  let ops = 0;
  for (let run = 0; run < runs; run++) {
    await between(run);
    const cpuBefore = cpuMs(bot.pid);
    const opsBefore = ctx.proxy.count;
    samples.push(await timedReport(ctx, bot, from, seeded));
    cpu += cpuMs(bot.pid) - cpuBefore;
    ops += ctx.proxy.count - opsBefore;
  }
  return {
    latency: latencyStats(samples),
    tableOps: Math.round((ops / runs) * 10) / 10,
    cpuMsPerReport: Math.round((cpu / runs) * 10) / 10,
  };
}

/** Records `count` status steps (an outcome, studier) through the participant card. */
async function recordSteps(ctx: BenchContext, bot: BotProcess, first: number, count: number) {
  const from = ctx.users[1]!;
  for (let n = first; n < first + count; n++) {
    const { status, body } = await postActivity(
      bot.url,
      cardAction(
        'participants.step',
        {
          code: benchCode(n),
          requestId: `bench-report-step-${n}`,
          stepStep: 'studier',
          stepOn: '2026-11-02',
          stepNote: 'Börjar studera på komvux.',
        },
        { serviceUrl: ctx.connector.url, from, where: { kind: 'personal' } },
      ),
    );
    if (status !== 200 || !JSON.stringify(body).includes('Steget studier är registrerat')) {
      throw new Error(`A step before the report was not recorded: ${JSON.stringify(body)}`);
    }
  }
}

/** The first `/rapport` of a bot process started for it on the same storage, then stopped. */
async function firstReportOfFreshBot(ctx: BenchContext, prefix: string, seeded: Seeded) {
  const fresh = await startBenchBot(ctx, prefix);
  try {
    const memory = memoryWindow(fresh.pid);
    const cpuBefore = cpuMs(fresh.pid);
    const opsBefore = ctx.proxy.count;
    const ms = await timedReport(ctx, fresh, ctx.users[2]!, seeded);
    return {
      latency: latencyStats([ms]),
      tableOps: ctx.proxy.count - opsBefore,
      cpuMsPerReport: Math.round((cpuMs(fresh.pid) - cpuBefore) * 10) / 10,
      rssMiB: memory.peakMiB(),
    };
  } finally {
    await fresh.kill('SIGTERM');
  }
}

/**
 * `/rapport 2026-06-30` by a samordnare over the whole förbund, one request at a time: unchanged
 * since the previous report, right after 8 steps were recorded, and as the first report of a
 * freshly started bot process; then the same report as a Word file.
 */
export async function measureReport(
  ctx: BenchContext,
  bot: BotProcess,
  prefix: string,
  seeded: Seeded,
): Promise<ReportResult> {
  const from = ctx.users[0]!;
  const conversation = `a:personal-${from.id}`;
  const memory = memoryWindow(bot.pid);
  await timedReport(ctx, bot, from, seeded);
  const unchanged = await series(ctx, bot, seeded, REPORT_RUNS, async () => undefined);
  const afterSteps = await series(ctx, bot, seeded, AFTER_STEP_RUNS, (run) =>
    recordSteps(ctx, bot, FIRST_STEPPED + run * STEPS_BEFORE_REPORT, STEPS_BEFORE_REPORT),
  );
  const documentSamples: number[] = [];
  let documentBytes = 0;
  for (let run = 0; run < DOCUMENT_RUNS; run++) {
    ctx.connector.clear();
    const before = performance.now();
    const { status } = await postActivity(
      bot.url,
      cardAction(
        'reports.file',
        { scope: 'alla', asOf: PERIOD_END, format: 'docx' },
        { serviceUrl: ctx.connector.url, from, where: { kind: 'personal' } },
      ),
    );
    documentSamples.push(performance.now() - before);
    const text = ctx.connector
      .messages(conversation)
      .map((m) => m.body.text ?? '')
      .join('\n');
    const link = /\((http:\/\/[^)]+\/filer\/[^)]+)\)/.exec(text)?.[1];
    if (status !== 200 || !link) throw new Error('The report document was not offered');
    const document = await fetch(link);
    documentBytes = (await document.arrayBuffer()).byteLength;
    if (document.status !== 200 || documentBytes < 5_000) {
      throw new Error(`The report document could not be fetched (${document.status})`);
    }
  }
  const rssMiB = memory.peakMiB();
  const firstReport = await firstReportOfFreshBot(ctx, prefix, seeded);
  return {
    participants: seeded.count,
    events: seeded.events,
    latency: unchanged.latency,
    documentLatency: latencyStats(documentSamples),
    documentBytes,
    tableOps: unchanged.tableOps,
    cpuMsPerReport: unchanged.cpuMsPerReport,
    rssMiB,
    afterSteps: { ...afterSteps, steps: STEPS_BEFORE_REPORT },
    firstReport,
  };
}

import { WARM_UP } from './support/load.js';
import type { AgendaResult, CardActionResult } from './scenarios/agenda.js';
import type { BaselineResult } from './scenarios/baseline.js';
import type { QueueResult } from './scenarios/cases.js';
import type { StepResult } from './scenarios/participants.js';
import type { ReportResult } from './scenarios/report.js';
import type { TickResult } from './scenarios/scheduler.js';
import { at, row, targetLines } from './summary-targets.js';
import type { AnswerPathResult } from './support/answer-path.js';
import type { LevelResult } from './support/load.js';
import { ratio, type LatencyStats } from './support/stats.js';

export interface BenchResults {
  readonly date: string;
  readonly machine: { node: string; cpus: number; memoryGiB: number };
  /** The command the bot ran under, production's (`npm run serve`). */
  readonly command: string;
  readonly durationSeconds: number;
  readonly baseline: BaselineResult;
  readonly coldStart: LatencyStats;
  readonly agenda: AgendaResult;
  readonly queue: QueueResult;
  readonly step: StepResult;
  /** A step's three table operations alone, straight to Azurite (see step-storage.ts). */
  readonly stepStorage: readonly LevelResult[];
  /** Adding an agenda item's table operations alone, straight to Azurite. */
  readonly agendaStorage: readonly LevelResult[];
  /** The echo bot doing the agenda item's table operations before its card. */
  readonly echoWithAgendaStorage: readonly LevelResult[];
  readonly report: ReportResult;
  readonly tick: readonly TickResult[];
}

function levelTable(
  title: string,
  list: readonly CardActionResult[],
  baseline: readonly LevelResult[],
): string[] {
  const lines = [
    `#### ${title}`,
    '',
    row([
      'users',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'per s',
      'p95 × baseline',
      'table ops / action',
      'CPU ms / action',
      'peak RSS MiB',
      'errors',
    ]),
    row(Array.from({ length: 11 }, () => '---')),
  ];
  for (const level of list) {
    const base = at(baseline, level.users);
    lines.push(
      row([
        level.users,
        level.latency.p50,
        level.latency.p95,
        level.latency.p99,
        level.latency.max,
        level.throughput,
        base ? ratio(level.latency.p95, base.latency.p95) : '–',
        level.tableOpsPerAction,
        level.cpuMsPerAction,
        level.rssMiB,
        level.errors,
      ]),
    );
  }
  return [...lines, ''];
}

/** `GET Meetings, GET Meetings, POST $batch Meetings` → `GET Meetings ×2, POST $batch Meetings`. */
function calls(list: readonly string[]): string {
  if (list.length === 0) return '–';
  const counts = new Map<string, number>();
  for (const name of list) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts]
    .map(([name, n]) => `${name.replace('$batch', 'batch')}${n > 1 ? ` ×${n}` : ''}`)
    .join(', ');
}

function answerPathTable(paths: readonly [string, AnswerPathResult][]): string[] {
  return [
    `#### Table operations on the answer path (one user, a pause between actions, ${paths[0]?.[1].samples ?? 0} samples each after one not counted; the sample with the most shown)`,
    '',
    row([
      'action',
      'before the answer',
      'principal reads',
      'after the answer',
      'before the answer: which',
      'after the answer: which',
    ]),
    row(Array.from({ length: 6 }, () => '---')),
    ...paths.map(([what, p]) =>
      row([
        what,
        p.answerOps,
        p.principalOps,
        p.afterOps,
        calls(p.answerCalls),
        calls(p.afterCalls),
      ]),
    ),
    '',
  ];
}

/** The Markdown summary: machine, baseline, every scenario with ratios, and the targets. */
export function summarise(results: BenchResults): string {
  const { baseline, agenda, queue, step, report, tick, coldStart } = results;
  const baselineRow = (what: string, l: LevelResult) =>
    row([what, l.users, l.latency.p50, l.latency.p95, l.latency.p99, l.throughput]);
  const storageRow = (what: string, l: LatencyStats) => row([what, 1, l.p50, l.p95, l.p99, '–']);
  const lines = [
    `### Benchmark ${results.date.slice(0, 10)}`,
    '',
    `Node ${results.machine.node}, ${results.machine.cpus} cores, ${results.machine.memoryGiB} GiB; ` +
      `the bot as \`${results.command}\` in its own process, Azurite in memory, a local Bot Connector; ` +
      `run took ${results.durationSeconds} s. Ratios compare with the baseline measured in the same run. ` +
      `Each card-action scenario, and the echo bot alike, first runs ${WARM_UP.users * WARM_UP.perUser} actions ` +
      `(${WARM_UP.users} users × ${WARM_UP.perUser}) that are not counted. ` +
      `CPU time is the bot process's user + system time over a level divided by its actions; ` +
      `peak RSS is the bot process's high-water mark over the level (reset at its start).`,
    '',
    '#### Baseline',
    '',
    row(['what', 'users', 'p50 ms', 'p95 ms', 'p99 ms', 'per s']),
    row(['---', '---', '---', '---', '---', '---']),
    ...baseline.echoMessage.map((l) => baselineRow('bare botbuilder bot, message', l)),
    ...baseline.echoInvoke.map((l) => baselineRow('bare botbuilder bot, card action', l)),
    storageRow('raw Azurite write', baseline.storage.write),
    storageRow('raw Azurite read', baseline.storage.read),
    ...(results.agendaStorage ?? []).map((l) =>
      baselineRow('Azurite alone: adding an agenda item’s 3 table operations', l),
    ),
    ...(results.echoWithAgendaStorage ?? []).map((l) =>
      baselineRow('bare botbuilder bot doing those 3 table operations, card action', l),
    ),
    ...(results.stepStorage ?? []).map((l) =>
      baselineRow('Azurite alone: a step’s 3 table operations on the seeded participant table', l),
    ),
    '',
    ...answerPathTable([
      ['adding an agenda item (`agenda.add`)', agenda.answerPath],
      ['a participant step (`participants.step`)', step.answerPath],
      ['`/ärenden`, first page (100,000 closed cases stored)', queue.answerPath],
      ['a decision on a case (`cases.decide`)', queue.decideAnswerPath],
    ]),
    ...levelTable(
      'Adding an agenda item (Action.Execute, card returned)',
      agenda.levels,
      baseline.echoInvoke,
    ),
    ...levelTable(
      'A participant status step (Action.Execute `participants.step`, card returned)',
      step.levels,
      baseline.echoInvoke,
    ),
    `#### The lägesrapport over ${report.participants.toLocaleString('en')} participants and ${report.events.toLocaleString('en')} status events (one user, one report at a time)`,
    '',
    row([
      'when',
      'runs',
      'p50 ms',
      'p95 ms',
      'max ms',
      'table ops / report',
      'CPU ms / report',
      'peak RSS MiB',
    ]),
    row(Array.from({ length: 8 }, () => '---')),
    row([
      'running bot, nothing changed since its previous report',
      report.latency.count,
      report.latency.p50,
      report.latency.p95,
      report.latency.max,
      report.tableOps,
      report.cpuMsPerReport,
      report.rssMiB,
    ]),
    row([
      `running bot, right after ${report.afterSteps.steps} steps were recorded`,
      report.afterSteps.latency.count,
      report.afterSteps.latency.p50,
      report.afterSteps.latency.p95,
      report.afterSteps.latency.max,
      report.afterSteps.tableOps,
      report.afterSteps.cpuMsPerReport,
      '(above)',
    ]),
    row([
      'first report of a freshly started bot process (reads every länsdel in full)',
      report.firstReport.latency.count,
      report.firstReport.latency.p50,
      report.firstReport.latency.p95,
      report.firstReport.latency.max,
      report.firstReport.tableOps,
      report.firstReport.cpuMsPerReport,
      report.firstReport.rssMiB,
    ]),
    '',
    `Each bot instance keeps the report rows and reads only the rows changed since its previous report (and the 30 seconds before the previous read, for writes stamped late); it reads them in full on its first report and once a day. The same lägesrapport as a Word file (counted, written, stored, offered as a link; ${report.documentBytes.toLocaleString('en')} bytes): p50 ${report.documentLatency.p50} ms, p95 ${report.documentLatency.p95} ms, max ${report.documentLatency.max} ms. The running bot's peak RSS covers the reports and the Word files.`,
    '',
    '#### `/ärenden`, first page of 25 open cases, with closed cases stored besides',
    '',
    row([
      'closed cases',
      'users',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'per s',
      'p95 × baseline',
      'table ops / action',
      'CPU ms / action',
      'peak RSS MiB',
    ]),
    row(Array.from({ length: 10 }, () => '---')),
    ...queue.levels.map((q) => {
      const base = at(baseline.echoMessage, q.users);
      return row([
        q.stored.toLocaleString('en'),
        q.users,
        q.latency.p50,
        q.latency.p95,
        q.latency.p99,
        q.throughput,
        base ? ratio(q.latency.p95, base.latency.p95) : '–',
        q.tableOpsPerAction,
        q.cpuMsPerAction,
        q.rssMiB,
      ]);
    }),
    '',
    "#### Scheduler tick (200 due; a process of its own on plain Node: the bot's compiled modules and the tick's own counting proxy)",
    '',
    row([
      'reminders stored besides',
      'tick ms (median of 3)',
      'due-query ms',
      'table ops',
      'table ops, first tick of a fresh instance',
      'CPU ms / tick',
      'peak RSS MiB',
      'sent',
    ]),
    row(Array.from({ length: 8 }, () => '---')),
    ...tick.map((t) =>
      row([
        t.stored.toLocaleString('en'),
        t.tickMs,
        t.dueQueryMs,
        t.tableOps,
        t.coldTableOps,
        t.cpuMs,
        t.rssMiB,
        t.sent,
      ]),
    ),
    '',
    `#### Cold start to healthy: p50 ${coldStart.p50} ms, max ${coldStart.max} ms (${coldStart.count} runs)`,
    '',
    ...targetLines(results),
  ];
  return lines.join('\n');
}

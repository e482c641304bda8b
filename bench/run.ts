import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { projectRoot } from '../scripts/local/playground.js';
import { startAzuriteProcess } from './support/azurite-process.js';
import { FakeConnector } from '../test/support/fake-connector.js';
import { measureAgendaAdd } from './scenarios/agenda.js';
import { measureBaseline, measureEchoWithAgendaStorage } from './scenarios/baseline.js';
import { measureQueue } from './scenarios/cases.js';
import { measureColdStart } from './scenarios/cold-start.js';
import { measureStep, seedParticipants } from './scenarios/participants.js';
import { measureReport } from './scenarios/report.js';
import { measureTick } from './scenarios/scheduler.js';
import { measureStepStorage } from './scenarios/step-storage.js';
import { measureAgendaStorage } from './scenarios/agenda-storage.js';
import { PRODUCTION_COMMAND, startBenchBot } from './support/bot.js';
import { benchTenant, benchUsers, freshPrefix, type BenchContext } from './support/context.js';
import { startCountingProxy } from './support/counting-proxy.js';
import { summarise, type BenchResults } from './summary.js';

/**
 * `npm run bench`: builds the bot, starts embedded Azurite (in memory) behind a request-counting
 * proxy and a local Bot Connector, measures the baseline (a bare botbuilder bot, raw Azurite)
 * and every scenario, then writes bench/results/<date>.json and .md and the README's table.
 * Bounded: every level has a fixed number of requests and a time cap.
 */
const begun = performance.now();
const log = (text: string) =>
  process.stdout.write(`[${Math.round((performance.now() - begun) / 1000)} s] ${text}\n`);

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) {
    log('Building (npm run build) …');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: projectRoot, stdio: 'inherit' });
  }
  const azurite = await startAzuriteProcess();
  const proxy = await startCountingProxy(azurite.port);
  const connector = await new FakeConnector().start();
  const ctx: BenchContext = {
    azurite,
    proxy,
    connector,
    levels: [1, 8, 32],
    users: benchUsers(32),
    tenantId: benchTenant,
  };
  const started = Date.now();
  try {
    log('Baseline: bare botbuilder bot and raw Azurite …');
    const baseline = await measureBaseline(ctx);
    log('Cold start …');
    const coldStart = await measureColdStart(ctx);

    const prefix = freshPrefix();
    const bot = await startBenchBot(ctx, prefix);
    let agenda;
    let queue;
    let step;
    let stepStorage;
    let agendaStorage;
    let echoWithAgendaStorage;
    let report;
    try {
      log('Agenda items through the kallelse card …');
      agenda = await measureAgendaAdd(ctx, bot);
      log('The same storage operations alone, straight to Azurite …');
      agendaStorage = await measureAgendaStorage(ctx, prefix);
      log('The echo bot doing the same storage operations before its card …');
      echoWithAgendaStorage = await measureEchoWithAgendaStorage(ctx, `${prefix}Occurrences`);
      log('/ärenden with 1,000, 10,000 and 100,000 closed cases stored …');
      queue = await measureQueue(ctx, bot, prefix, [1_000, 10_000, 100_000]);
      log('Participants: 10,000 over nine länsdelar with 100,000 status events …');
      const seeded = await seedParticipants(ctx, prefix, 10_000, 10);
      log('A status step through the participant card …');
      step = await measureStep(ctx, bot);
      log('The same storage operations alone, straight to Azurite …');
      stepStorage = await measureStepStorage(ctx, prefix);
      log('The lägesrapport over the länsdel …');
      report = await measureReport(ctx, bot, prefix, seeded);
    } finally {
      await bot.kill('SIGTERM');
    }

    ctx.connector.clear();
    log('Scheduler tick, 200 due, nothing else stored …');
    const tickEmpty = await measureTick(ctx, 0);
    log('Scheduler tick, 200 due, 100,000 more stored …');
    const tickFull = await measureTick(ctx, 100_000);

    const results: BenchResults = {
      date: new Date().toISOString(),
      machine: {
        node: process.version,
        cpus: cpus().length,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
      },
      command: PRODUCTION_COMMAND,
      durationSeconds: Math.round((Date.now() - started) / 1000),
      baseline,
      coldStart,
      agenda,
      queue,
      step,
      stepStorage: stepStorage ?? [],
      agendaStorage: agendaStorage ?? [],
      echoWithAgendaStorage: echoWithAgendaStorage ?? [],
      report,
      tick: [tickEmpty, tickFull],
    };
    await write(results);
  } finally {
    await connector.stop();
    await proxy.stop();
    await azurite.stop();
  }
}

async function write(results: BenchResults): Promise<void> {
  const folder = join(projectRoot, 'bench', 'results');
  mkdirSync(folder, { recursive: true });
  const stamp = results.date.slice(0, 10);
  const style = { ...(await resolveConfig(join(projectRoot, 'README.md'))), parser: 'markdown' };
  const markdown = await format(summarise(results), style);
  writeFileSync(join(folder, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(folder, `${stamp}.md`), markdown);
  const readmePath = join(projectRoot, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const marked = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
  if (marked.test(readme)) {
    const updated = readme.replace(marked, `<!-- bench:start -->\n${markdown}\n<!-- bench:end -->`);
    writeFileSync(readmePath, await format(updated, style));
  }
  log(markdown);
  log(`Written: bench/results/${stamp}.json, bench/results/${stamp}.md, README.md`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

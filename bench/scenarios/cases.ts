import type { Case, CaseSummary } from '../../src/cases/cases.schema.js';
import {
  casePrefix,
  closedRowId,
  conversationKey,
  openRowId,
  yearPartition,
} from '../../src/storage/case-rows.js';
import { newId } from '../../src/ids.js';
import { cardAction, message } from '../../test/support/activities.js';
import type { BotProcess } from '../../test/support/bot-process.js';
import { loadRows, type BulkRow } from '../support/bulk.js';
import type { BenchContext } from '../support/context.js';
import { measureAnswerPath, nowEpoch, type AnswerPathResult } from '../support/answer-path.js';
import { postActivity, runLevel, warmUp, type LevelResult } from '../support/load.js';
import { rangeRead, rawTable } from '../support/storage-alone.js';
import { withUsage } from '../support/process-stats.js';

export interface QueueLevel extends LevelResult {
  readonly stored: number;
  readonly tableOpsPerAction: number;
  readonly cpuMsPerAction: number;
  readonly rssMiB: number;
}

export interface QueueResult {
  readonly levels: QueueLevel[];
  /** `/ärenden` at one user, split at the reply (with the largest number of closed cases). */
  readonly answerPath: AnswerPathResult;
  /** A decision on a case (Action.Execute `cases.decide`) at one user, split at the answer. */
  readonly decideAnswerPath: AnswerPathResult;
  /** The queue's one query alone, straight to Azurite at 8 users, per number of closed cases. */
  readonly queryAlone: { readonly stored: number; readonly p50: number }[];
}

const CHANNEL = '19:bench-arenden@thread.tacv2';
/** Where the cases being decided are: their own queue, so `/ärenden` above is not changed. */
const DECIDE_CHANNEL = '19:bench-beslut@thread.tacv2';
const OPEN = 25;
/** Cases on the table (dragen) for the sampled decisions: a warm-up and eight samples. */
const ON_THE_TABLE = 9;
const PER_USER: Record<number, number> = { 1: 20, 8: 10, 32: 5 };

/** Closed cases are spread over the ten years before this one; open ones are this year's. */
const CLOSED_YEARS = 10;
const THIS_YEAR = new Date().getUTCFullYear();

function caseValue(
  n: number,
  year: number,
  status: Case['status'],
  at: string,
  conversationId = CHANNEL,
): Case {
  return {
    code: `Ä-${year}-${String(n).padStart(6, '0')}`,
    conversationId,
    organisationId: n % 3 === 0 ? 'fk' : n % 3 === 1 ? 'region' : 'kommun-eskilstuna',
    submittedBy: '29:bench-1',
    submittedAt: at,
    requestId: `bench-case-${n}`,
    reason: 'Behöver samordnade insatser inför arbetsträning.',
    request: 'insats',
    urgency: 'normal',
    consent: true,
    status,
    ...(status === 'avslutad' ? { closedAt: at } : {}),
    updatedAt: at,
    revision: 1,
    historyCount: 0,
    decisionCount: 0,
  };
}

/** A row as the case aggregate table stores it (kind and schema version beside the value). */
const row = (year: number, rowKey: string, kind: string, value: object): BulkRow => ({
  partitionKey: yearPartition(year),
  rowKey,
  value: { ...value, _v: 1, _k: kind },
});

const header = (n: number, year: number, value: Case) =>
  row(year, `${casePrefix(n)}a|head`, 'header', value);

/** Cases numbered [from, to), closed over the last ten years, each with its archive line. */
async function loadClosed(ctx: BenchContext, prefix: string, from: number, to: number) {
  const rows: BulkRow[] = [];
  for (let n = from; n < to; n++) {
    const year = THIS_YEAR - 1 - (n % CLOSED_YEARS);
    const month = `${year}-${String((n % 12) + 1).padStart(2, '0')}`;
    const value = caseValue(n + 1, year, 'avslutad', `${month}-15T10:00:00.000Z`);
    rows.push(header(n + 1, year, value));
    rows.push(
      row(year, `z|${closedRowId(value.closedAt!, n + 1)}`, 'closed', {
        code: value.code,
        organisationId: value.organisationId,
        outcome: 'ingetBeslut',
        closedAt: value.closedAt,
      }),
    );
  }
  await loadRows(ctx.azurite.connectionString, `${prefix}Cases`, rows);
}

async function loadOpen(ctx: BenchContext, prefix: string) {
  const last = OPEN + ON_THE_TABLE;
  const rows: BulkRow[] = [row(THIS_YEAR, 'n|last', 'counter', { year: THIS_YEAR, last })];
  for (let n = 1; n <= last; n++) {
    const [status, channel] = n <= OPEN ? ['inkommen', CHANNEL] : ['dragen', DECIDE_CHANNEL];
    const value = caseValue(
      n,
      THIS_YEAR,
      status as Case['status'],
      new Date().toISOString(),
      channel,
    );
    const summary: CaseSummary = {
      code: value.code,
      conversationId: channel,
      organisationId: value.organisationId,
      status: value.status,
      urgency: value.urgency,
      revision: 1,
    };
    rows.push(header(n, THIS_YEAR, value));
    rows.push(row(THIS_YEAR, `o|${openRowId(channel, n, 1)}`, 'open', summary));
  }
  await loadRows(ctx.azurite.connectionString, `${prefix}Cases`, rows);
}

/**
 * `/ärenden` (the first page of the open queue, 25 open cases of this year) in a channel while
 * 1,000, 10,000 and 100,000 closed cases of the ten years before are stored, at every
 * concurrency level. Reports the table operations per `/ärenden` (principal and conversation
 * bookkeeping included); then, at one user, the operations before and after the reply, and the
 * same for a decision on a case that is on the table.
 */
export async function measureQueue(
  ctx: BenchContext,
  bot: BotProcess,
  prefix: string,
  sizes: readonly number[],
): Promise<QueueResult> {
  await loadOpen(ctx, prefix);
  const list = (user: number) =>
    message('/ärenden', {
      serviceUrl: ctx.connector.url,
      from: ctx.users[user]!,
      where: { kind: 'channel', conversationId: CHANNEL },
    });
  await postActivity(bot.url, list(0));
  const shown = JSON.stringify(ctx.connector.messages(CHANNEL).at(-1)?.body ?? {});
  if (!shown.includes(`Ä-${THIS_YEAR}-000001`))
    throw new Error(`/ärenden did not list the queue: ${shown}`);
  const send = async (user: number) => (await postActivity(bot.url, list(user))).status === 200;
  await warmUp(send);
  const levels: QueueLevel[] = [];
  const queryAlone: QueueResult['queryAlone'] = [];
  const raw = rawTable(ctx, `${prefix}Cases`);
  const queueLines = `o|${conversationKey(CHANNEL)}`;
  let loaded = 0;
  for (const size of sizes) {
    await loadClosed(ctx, prefix, loaded, size);
    loaded = size;
    const alone = await runLevel(8, PER_USER[8]!, async () => {
      const page = await rangeRead(
        raw,
        yearPartition(THIS_YEAR),
        `${queueLines}|`,
        `${queueLines}}`,
        26,
      );
      return !page.done && page.value.length === OPEN;
    });
    queryAlone.push({ stored: size, p50: alone.latency.p50 });
    for (const users of ctx.levels) {
      const opsBefore = ctx.proxy.count;
      const { result: level, ...usage } = await withUsage(
        bot.pid,
        () => runLevel(users, PER_USER[users] ?? 5, send),
        (result) => result.latency.count,
      );
      levels.push({
        ...level,
        stored: size,
        tableOpsPerAction:
          Math.round(((ctx.proxy.count - opsBefore) / level.latency.count) * 10) / 10,
        cpuMsPerAction: usage.cpuMsPerAction,
        rssMiB: usage.peakMiB,
      });
    }
  }
  const answerPath = await measureAnswerPath(ctx.proxy, async () => {
    const before = ctx.connector.received.length;
    const { status } = await postActivity(bot.url, list(0));
    const reply = ctx.connector.received.findIndex(
      (m, i) => i >= before && m.conversationId === CHANNEL,
    );
    // The connector stamps arrivals in whole milliseconds: count that millisecond as before.
    return {
      ok: status === 200 && reply >= 0,
      answeredAt: (ctx.connector.receivedAt[reply] ?? 0) + 1,
    };
  });
  const decideAnswerPath = await measureAnswerPath(ctx.proxy, async (n) => {
    const activity = cardAction(
      'cases.decide',
      {
        code: `Ä-${THIS_YEAR}-${String(OPEN + 1 + n).padStart(6, '0')}`,
        requestId: newId(),
        outcome: 'avslag',
        motivation: 'Insatsen motsvarar inte behovet som beskrivs i anmälan.',
      },
      {
        serviceUrl: ctx.connector.url,
        from: ctx.users[0]!,
        where: { kind: 'channel', conversationId: DECIDE_CHANNEL },
      },
    );
    const { status, body } = await postActivity(bot.url, activity);
    return {
      ok: status === 200 && JSON.stringify(body).includes('Beslutet är sparat'),
      answeredAt: nowEpoch(),
    };
  });
  return { levels, answerPath, decideAnswerPath, queryAlone };
}

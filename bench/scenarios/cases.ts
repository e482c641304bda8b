import type { Case } from '../../src/cases/cases.schema.js';
import { caseIndexKeys, caseKeys } from '../../src/storage/case-tables.js';
import { message } from '../../test/support/activities.js';
import type { BotProcess } from '../../test/support/bot-process.js';
import { loadRows, type BulkRow } from '../support/bulk.js';
import type { BenchContext } from '../support/context.js';
import { postActivity, runLevel, type LevelResult } from '../support/load.js';

export interface QueueResult extends LevelResult {
  readonly stored: number;
  readonly tableOpsPerAction: number;
}

const CHANNEL = '19:bench-arenden@thread.tacv2';
const OPEN = 25;
const PER_USER: Record<number, number> = { 1: 20, 8: 10, 32: 5 };

/** Closed cases are spread over the ten years before this one; open ones are this year's. */
const CLOSED_YEARS = 10;
const THIS_YEAR = new Date().getUTCFullYear();

function caseValue(n: number, year: number, status: Case['status'], at: string): Case {
  return {
    code: `Ä-${year}-${String(n).padStart(6, '0')}`,
    conversationId: CHANNEL,
    organisationId: n % 3 === 0 ? 'fk' : n % 3 === 1 ? 'region' : 'kommun-eskilstuna',
    submittedBy: '29:bench-1',
    submittedAt: at,
    requestId: `bench-case-${n}`,
    reason: 'Behöver samordnade insatser inför arbetsträning.',
    request: 'insats',
    urgency: 'normal',
    consent: true,
    status,
    decisions: [],
    history: [],
    ...(status === 'avslutad' ? { closedAt: at } : {}),
    updatedAt: at,
  };
}

/** Cases numbered [from, to), closed over the last ten years, each with its archive pointer. */
async function loadClosed(ctx: BenchContext, prefix: string, from: number, to: number) {
  const cases: BulkRow[] = [];
  const archive: BulkRow[] = [];
  for (let n = from; n < to; n++) {
    const year = THIS_YEAR - 1 - (n % CLOSED_YEARS);
    const month = `${year}-${String((n % 12) + 1).padStart(2, '0')}`;
    const value = caseValue(n, year, 'avslutad', `${month}-15T10:00:00.000Z`);
    cases.push({ ...caseKeys(value.code), value });
    archive.push({ ...caseIndexKeys(value.code).archive(month), value: { code: value.code } });
  }
  await loadRows(ctx.azurite.connectionString, `${prefix}Cases`, cases);
  await loadRows(ctx.azurite.connectionString, `${prefix}CaseIndex`, archive);
}

async function loadOpen(ctx: BenchContext, prefix: string) {
  const cases: BulkRow[] = [];
  const queue: BulkRow[] = [];
  for (let n = 0; n < OPEN; n++) {
    const value = caseValue(n + 1, THIS_YEAR, 'inkommen', new Date().toISOString());
    cases.push({ ...caseKeys(value.code), value });
    queue.push({ ...caseIndexKeys(value.code).queue(CHANNEL), value: { code: value.code } });
  }
  await loadRows(ctx.azurite.connectionString, `${prefix}Cases`, cases);
  await loadRows(ctx.azurite.connectionString, `${prefix}CaseQueue`, queue);
}

/**
 * `/ärenden` (the first page of the open queue, 25 open cases of this year) in a channel while
 * 1,000, 10,000 and 100,000 closed cases of the ten years before are stored, at every
 * concurrency level.
 */
export async function measureQueue(
  ctx: BenchContext,
  bot: BotProcess,
  prefix: string,
  sizes: readonly number[],
): Promise<QueueResult[]> {
  await loadOpen(ctx, prefix);
  await postActivity(
    bot.url,
    message('/ärenden', {
      serviceUrl: ctx.connector.url,
      from: ctx.users[0]!,
      where: { kind: 'channel', conversationId: CHANNEL },
    }),
  );
  const shown = JSON.stringify(ctx.connector.messages(CHANNEL).at(-1)?.body ?? {});
  if (!shown.includes(`Ä-${THIS_YEAR}-000001`))
    throw new Error(`/ärenden did not list the queue: ${shown}`);
  const results: QueueResult[] = [];
  let loaded = 0;
  for (const size of sizes) {
    await loadClosed(ctx, prefix, loaded, size);
    loaded = size;
    for (const users of ctx.levels) {
      const opsBefore = ctx.proxy.count;
      const level = await runLevel(users, PER_USER[users] ?? 5, async (user) => {
        const activity = message('/ärenden', {
          serviceUrl: ctx.connector.url,
          from: ctx.users[user]!,
          where: { kind: 'channel', conversationId: CHANNEL },
        });
        return (await postActivity(bot.url, activity)).status === 200;
      });
      results.push({
        ...level,
        stored: size,
        tableOpsPerAction:
          Math.round(((ctx.proxy.count - opsBefore) / level.latency.count) * 10) / 10,
      });
    }
  }
  return results;
}

import type { CountingProxy, ProxiedRequest } from './counting-proxy.js';

/** Table operations of one user action, split at the moment the user got the answer. */
export interface AnswerPathResult {
  readonly samples: number;
  /** Most operations before the answer in any sample, principal reads left out. */
  readonly answerOps: number;
  /** Principal reads (the Members table) before the answer, at most, in any sample. */
  readonly principalOps: number;
  /** Most operations after the answer until storage went quiet, in any sample. */
  readonly afterOps: number;
  /** The operations before the answer in the sample with the most, e.g. `GET bxMeetings`. */
  readonly answerCalls: readonly string[];
  /** The operations after the answer in that sample. */
  readonly afterCalls: readonly string[];
}

/** Answer of one action: whether it succeeded and when the user had the answer (epoch ms). */
export interface Answered {
  readonly ok: boolean;
  readonly answeredAt: number;
}

export const nowEpoch = () => performance.timeOrigin + performance.now();

const SAMPLES = 8;
const isPrincipalRead = (r: ProxiedRequest) => r.method === 'GET' && r.table.endsWith('Members');
const call = (r: ProxiedRequest) =>
  `${r.method} ${r.table.replace(/^(\$batch )?b[0-9a-f]{8}/, '$1')}`;

/**
 * One user, one action at a time, storage quiet before each: counts the storage requests that
 * arrived before the user had the answer (the HTTP response of an invoke, the reply at the
 * connector for a message) and those after it until storage is quiet again (work that follows
 * the answer, such as updating a posted card). A first action warms the caches and is not counted.
 * `settleMs` is how long storage must stay idle to count as quiet: longer than any delay the
 * action's after-answer work may wait (a posted card's coalesced update), so that work is counted
 * with its own action and not with the next one.
 */
export async function measureAnswerPath(
  proxy: CountingProxy,
  act: (sample: number) => Promise<Answered>,
  { samples = SAMPLES, settleMs = 300 }: { samples?: number; settleMs?: number } = {},
): Promise<AnswerPathResult> {
  const rows: { answer: ProxiedRequest[]; after: ProxiedRequest[] }[] = [];
  for (let sample = -1; sample < samples; sample++) {
    await proxy.quiet(settleMs);
    const from = proxy.count;
    const { ok, answeredAt } = await act(sample + 1);
    if (!ok) throw new Error(`An answer-path sample failed (${sample + 1})`);
    await proxy.quiet(settleMs);
    const all = proxy.requests.slice(from);
    if (sample < 0) continue;
    rows.push({
      answer: all.filter((r) => r.at <= answeredAt),
      after: all.filter((r) => r.at > answeredAt),
    });
  }
  const counted = (list: ProxiedRequest[]) => list.filter((r) => !isPrincipalRead(r)).length;
  const worst = rows.reduce((a, b) => (counted(b.answer) > counted(a.answer) ? b : a));
  return {
    samples: rows.length,
    answerOps: Math.max(...rows.map((r) => counted(r.answer))),
    principalOps: Math.max(...rows.map((r) => r.answer.filter(isPrincipalRead).length)),
    afterOps: Math.max(...rows.map((r) => r.after.length)),
    answerCalls: worst.answer.map(call),
    afterCalls: worst.after.map(call),
  };
}

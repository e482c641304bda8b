import type { TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { ReplyNotDelivered, retryReplies, type Clock } from '../../src/bot/delivery.js';
import { createLogger } from '../../src/log.js';

const options = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 };

function connectorError(status: number, retryAfter?: string) {
  return Object.assign(new Error('scripted'), {
    statusCode: status,
    response: {
      headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) },
    },
  });
}

/** A send that fails with the given statuses first, then succeeds. */
function sendFailing(...statuses: (number | [number, string])[]) {
  const calls: number[] = [];
  const next = async () => {
    calls.push(calls.length + 1);
    const failure = statuses.shift();
    if (failure === undefined) return [{ id: 'sent-1' }];
    throw Array.isArray(failure) ? connectorError(...failure) : connectorError(failure);
  };
  return { next, calls };
}

function run(send: ReturnType<typeof sendFailing>, activities = [{ type: 'message' }]) {
  const slept: number[] = [];
  const clock: Clock = { now: () => 0, sleep: async (ms) => void slept.push(ms) };
  const hook = retryReplies(createLogger('silent'), options, clock, () => 0.5);
  return { result: hook({} as TurnContext, activities, send.next), slept };
}

describe('retrying replies to the Bot Connector', () => {
  it('when the connector answers 429 with Retry-After, then the reply is sent again after at least that long', async () => {
    const send = sendFailing([429, '2']);
    const { result, slept } = run(send);
    expect(await result).toEqual([{ id: 'sent-1' }]);
    expect(send.calls).toHaveLength(2);
    expect(slept).toEqual([2_000]);
  });

  it('when 502 and 504 follow each other, then the backoff grows and the reply goes through once', async () => {
    const send = sendFailing(502, 504);
    const { result, slept } = run(send);
    expect(await result).toEqual([{ id: 'sent-1' }]);
    expect(send.calls).toHaveLength(3);
    expect(slept).toEqual([50, 100]);
  });

  it('when every attempt fails, then it stops after the bounded attempts with ReplyNotDelivered', async () => {
    const send = sendFailing(503, 503, 503, 503);
    const { result } = run(send);
    await expect(result).rejects.toBeInstanceOf(ReplyNotDelivered);
    expect(send.calls).toHaveLength(3);
  });

  it('when the connector refuses for good (403) or a batch fails, then nothing is sent again', async () => {
    const refused = sendFailing(403);
    await expect(run(refused).result).rejects.toMatchObject({ status: 403 });
    expect(refused.calls).toHaveLength(1);

    const batch = sendFailing(502);
    await expect(run(batch, [{ type: 'message' }, { type: 'message' }]).result).rejects.toThrow(
      ReplyNotDelivered,
    );
    expect(batch.calls).toHaveLength(1);
  });
});

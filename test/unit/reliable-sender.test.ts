import type { TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { CARD_BUDGET_BYTES } from '../../src/bot/card-budget.js';
import {
  ConversationRateLimiter,
  ReliableSender,
  ReplyNotDelivered,
  retryReplies,
  type Clock,
} from '../../src/bot/delivery.js';
import { ConnectorFailure } from '../../src/bot/delivery-rule.js';
import type { ProactiveMessenger } from '../../src/bot/proactive.js';
import { createLogger } from '../../src/log.js';

const logger = createLogger('silent');

/** A clock that moves only when someone sleeps. */
function virtualClock(): Clock & { slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

/** A messenger whose posts fail as scripted (an error, or undefined for success). */
function messengerFailing(kind: 'channel' | 'personal', ...failures: unknown[]) {
  const posts: number[] = [];
  const messenger = {
    options: { timeoutMs: 1_000 },
    async target(conversationId: string) {
      return { kind: 'ok', record: { conversationId, kind } };
    },
    async post() {
      posts.push(posts.length + 1);
      const failure = failures.shift();
      if (failure) throw failure;
      return { kind: 'sent', activityId: `a-${posts.length}` };
    },
  } as unknown as ProactiveMessenger;
  return { messenger, posts };
}

function sender(messenger: ProactiveMessenger, clock: Clock) {
  return new ReliableSender(
    messenger,
    new ConversationRateLimiter(clock),
    logger,
    { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 },
    clock,
    () => 0.5,
  );
}

const message = { type: 'message', text: 'Påminnelse' };
const unclear = () => new ConnectorFailure('unknown', 502, 'http');

describe('proactive delivery by the rule', () => {
  it('when a channel post gets 502, then it is not sent again and the outcome is uncertain', async () => {
    const clock = virtualClock();
    const { messenger, posts } = messengerFailing('channel', unclear());
    const outcome = await sender(messenger, clock).deliver('19:kanal@thread.tacv2', message);
    expect(outcome).toEqual({ kind: 'uncertain', status: 502 });
    expect(posts).toHaveLength(1);
  });

  it('when a personal chat post gets 502 and a reset connection, then it is sent again until it goes through', async () => {
    const clock = virtualClock();
    const reset = new ConnectorFailure('unknown', undefined, 'reset');
    const { messenger, posts } = messengerFailing('personal', unclear(), reset);
    const outcome = await sender(messenger, clock).deliver('a:personal', message);
    expect(outcome).toEqual({ kind: 'sent', activityId: 'a-3' });
    expect(posts).toHaveLength(3);
  });

  it('when a personal chat post times out, then this round stops there (may have arrived) instead of waiting out another timeout', async () => {
    const clock = virtualClock();
    const timeout = new ConnectorFailure('unknown', undefined, 'timeout');
    const { messenger, posts } = messengerFailing('personal', timeout);
    const outcome = await sender(messenger, clock).deliver('a:personal', message);
    expect(outcome).toEqual({ kind: 'retries-exhausted', unknown: true });
    expect(posts).toHaveLength(1);
  });

  it('when a channel post is refused with 429 and refused connections, then it is retried (nothing went out) and sent once', async () => {
    const clock = virtualClock();
    const { messenger, posts } = messengerFailing(
      'channel',
      new ConnectorFailure('refused', 429, 'http', 2_000),
      new ConnectorFailure('refused', undefined, 'refused'),
    );
    const outcome = await sender(messenger, clock).deliver('19:kanal@thread.tacv2', message);
    expect(outcome.kind).toBe('sent');
    expect(posts).toHaveLength(3);
    expect(clock.slept[0]).toBe(2_000);
  });

  it('when at least once runs out of attempts after unclear answers, then the outcome says it may have arrived', async () => {
    const clock = virtualClock();
    const { messenger } = messengerFailing('personal', ...Array.from({ length: 5 }, unclear));
    const outcome = await sender(messenger, clock).deliver('a:personal', message);
    expect(outcome).toEqual({ kind: 'retries-exhausted', status: 502, unknown: true });
  });

  it('when the deadline leaves no room for an attempt, then nothing is sent and the outcome is deferred', async () => {
    const clock = virtualClock();
    const { messenger, posts } = messengerFailing('channel');
    const outcome = await sender(messenger, clock).deliver('19:kanal@thread.tacv2', message, {
      deadline: clock.now() + 500,
    });
    expect(outcome).toEqual({ kind: 'deferred' });
    expect(posts).toHaveLength(0);
  });

  it('when retries would run past the deadline, then they stop there without sleeping beyond it', async () => {
    const clock = virtualClock();
    const refused = () => new ConnectorFailure('refused', 429, 'http', 5_000);
    const { messenger, posts } = messengerFailing('channel', refused(), refused());
    const outcome = await sender(messenger, clock).deliver('19:kanal@thread.tacv2', message, {
      deadline: clock.now() + 3_000,
    });
    expect(outcome).toEqual({ kind: 'retries-exhausted', status: 429 });
    expect(posts).toHaveLength(1);
    expect(clock.slept).toEqual([]);
  });
});

describe('the rate limiter with a deadline', () => {
  it('when the next free slot of a busy conversation lies past the deadline, then it answers false at once and counts nothing', async () => {
    const clock = virtualClock();
    const limiter = new ConversationRateLimiter(clock);
    for (let n = 0; n < 7; n++) expect(await limiter.acquire('19:kanal')).toBe(true);
    expect(await limiter.acquire('19:kanal', clock.now() + 100)).toBe(false);
    expect(clock.slept).toEqual([]);
    expect(await limiter.acquire('19:annan', clock.now() + 100)).toBe(true);
    expect(await limiter.acquire('19:kanal', clock.now() + 5_000)).toBe(true);
    expect(clock.slept).toEqual([1_000]);
  });
});

describe('replies within a turn', () => {
  const options = { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 1_000, timeoutMs: 50 };

  it('when the connector never answers a reply, then it is tried once more and ends as ReplyNotDelivered within the timeouts', async () => {
    let calls = 0;
    const hook = retryReplies(logger, options, virtualClock(), () => 0.5);
    const never = () => {
      calls++;
      return new Promise<never>(() => undefined);
    };
    await expect(hook({} as TurnContext, [{ type: 'message' }], never)).rejects.toBeInstanceOf(
      ReplyNotDelivered,
    );
    expect(calls).toBe(2);
  });

  it('when a reply is over the card budget, then the notice is sent in its place', async () => {
    const sent: unknown[] = [];
    const activities = [
      {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: {
              type: 'AdaptiveCard',
              body: [{ type: 'TextBlock', text: 'x'.repeat(CARD_BUDGET_BYTES) }],
            },
          },
        ],
      },
    ];
    const hook = retryReplies(logger, options, virtualClock(), () => 0.5);
    await hook({} as TurnContext, activities, async () => {
      sent.push(...activities);
      return [{ id: 'r-1' }];
    });
    expect(JSON.stringify(sent)).toContain('Innehållet är för stort för att visas här');
    expect(JSON.stringify(sent).length).toBeLessThan(CARD_BUDGET_BYTES);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message, TENANT_ID, users } from '../support/activities.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, uniquePrefix, type TestBot } from '../support/test-bot.js';

/**
 * Catch-up: a reminder whose time had passed when it was planned (a series created after its
 * first kallelse should have gone out) is sent at once and reported as caught up, never skipped
 * in silence, and planning it again sends nothing twice.
 */
const admin = users.anna;
const channel = '19:ikapp@thread.tacv2';
const where = { kind: 'channel' as const, conversationId: channel };
const env = { ALLOWED_TENANT_IDS: TENANT_ID, BOOTSTRAP_ADMIN_IDS: admin.aadObjectId };

let connector: FakeConnector;
let clock = new Date('2026-11-23T10:00:00Z');
const now = () => clock;

beforeAll(async () => {
  connector = await new FakeConnector().start();
});
afterAll(async () => {
  await connector?.stop();
});

async function bot(): Promise<TestBot> {
  return startTestBot({ ...env, TABLE_PREFIX: uniquePrefix() }, { now });
}

/** Makes the channel and the samordnare's personal chat known to the bot. */
async function introduce(target: TestBot) {
  for (const inChannel of [false, true]) {
    const response = await target.post(
      message('/hjälp', {
        serviceUrl: connector.url,
        from: admin,
        ...(inChannel ? { where } : {}),
      }),
    );
    expect(response.status).toBe(200);
  }
  connector.clear();
}

const postedTitles = (conversationId: string) =>
  connector
    .messages(conversationId)
    .filter((m) => m.method === 'POST')
    .map((m) => cardText(cardOf(m)) || (m.body.text ?? ''));

describe('catching up reminders whose time has passed', () => {
  const DAY = 86_400_000;
  const kallelse = (at: Date, meeting: Date) => ({
    id: 'test.catchup.kallelse',
    kind: 'kallelse' as const,
    conversationId: channel,
    dueAt: new Date(at.getTime() - 3 * DAY),
    title: 'Referensgrupp',
    text: 'Kallelse: lägg till punkter på dagordningen.',
    ownerId: admin.id,
    createdBy: admin.id,
    catchUpUntil: meeting,
  });

  it('when a series is created after its first kallelse should have gone out, then the kallelse is sent at once, the call says it was caught up, and planning it again sends nothing twice', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const meeting = new Date(clock.getTime() + 4 * DAY);
    const target = await bot();
    try {
      await introduce(target);
      const planned = await target.reminders.scheduleMany([
        kallelse(clock, meeting),
        {
          ...kallelse(clock, meeting),
          id: 'test.catchup.deadline',
          kind: 'agendaDeadline',
          dueAt: new Date(clock.getTime() + 2 * DAY),
        },
      ]);
      expect(planned.caughtUp.map((r) => r.id)).toEqual(['test.catchup.kallelse']);
      expect(planned.caughtUp[0]?.plannedFor).toBe('2026-11-20T10:00:00.000Z');

      clock = new Date(clock.getTime() + 1_000);
      expect((await target.scheduler.tick()).sent).toBe(1);
      const posted = postedTitles(channel);
      expect(posted).toHaveLength(1);
      expect(posted[0]).toContain('Referensgrupp');
      expect(posted[0]).toContain('fredag 20 november');

      clock = new Date(clock.getTime() + 3_600_000);
      const again = await target.reminders.schedule(
        kallelse(new Date('2026-11-23T10:00:00Z'), meeting),
      );
      expect(again).toMatchObject({ created: false, caughtUp: false });
      expect((await target.scheduler.tick()).sent).toBe(0);
      expect(postedTitles(channel)).toHaveLength(1);
      expect((await target.reminders.upcoming(channel)).map((r) => r.state)).not.toContain(
        'caughtUp',
      );
    } finally {
      await target.stop();
    }
  });

  it('when a reminder is planned two hours late without a catch-up window, then it is still caught up within the grace window; past it, planning is refused in Swedish', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const target = await bot();
    try {
      await introduce(target);
      const late = await target.reminders.schedule({
        ...kallelse(clock, clock),
        id: 'test.catchup.grace',
        kind: 'custom',
        dueAt: new Date(clock.getTime() - 2 * 3_600_000),
        catchUpUntil: undefined,
      });
      expect(late.caughtUp).toBe(true);
      await expect(
        target.reminders.schedule({
          ...kallelse(clock, clock),
          id: 'test.catchup.too-late',
          kind: 'custom',
          dueAt: new Date(clock.getTime() - 7 * 3_600_000),
          catchUpUntil: new Date(clock.getTime() - 1),
        }),
      ).rejects.toMatchObject({ userMessage: 'Tiden har redan passerat. Välj en tid framåt.' });
      expect((await target.scheduler.tick()).sent).toBe(1);
    } finally {
      await target.stop();
    }
  });

  it('when a caught-up reminder is withdrawn by its planned time (its meeting was cancelled), then the row that would send it is cancelled and nothing is posted', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const target = await bot();
    try {
      await introduce(target);
      const input = kallelse(clock, new Date(clock.getTime() + 4 * DAY));
      await target.reminders.schedule(input);
      const cancelled = await target.reminders.cancelPlanned({
        id: input.id,
        dueAt: input.dueAt.toISOString(),
      });
      expect(cancelled).toBe(true);
      expect((await target.scheduler.tick()).sent).toBe(0);
      expect(postedTitles(channel)).toEqual([]);
    } finally {
      await target.stop();
    }
  });
});

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { reminderTable } from '../../src/storage/reminder-table.js';
import { createTableStore } from '../../src/storage/table-store.js';
import type { Reminder } from '../../src/reminders/reminders.schema.js';
import { REMINDER_STATES } from '../../src/reminders/reminders.schema.js';
import { cardAction, message, TENANT_ID, users } from '../support/activities.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, uniquePrefix, type TestBot } from '../support/test-bot.js';

/**
 * The reminder engine through the real HTTP endpoint and real Azurite, with the clock moved by
 * hand: restarts, downtime within and past the grace window, Teams throttling and errors, the
 * bot removed from a channel, DST edges, pause/resume/send now, and a card updated in place.
 */
const admin = users.anna;
const channel = '19:paminnelser@thread.tacv2';
const where = { kind: 'channel' as const, conversationId: channel };
const personal = `a:personal-${admin.id}`;
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

/** A bot on its own tables; `tablePrefix` given, it shares them with an earlier one (a restart). */
async function bot(tablePrefix = uniquePrefix()): Promise<TestBot> {
  return startTestBot({ ...env, TABLE_PREFIX: tablePrefix }, { now });
}

async function say(target: TestBot, text: string, inChannel = true) {
  const response = await target.post(
    message(text, {
      serviceUrl: connector.url,
      from: admin,
      ...(inChannel ? { where } : {}),
    }),
  );
  expect(response.status).toBe(200);
}

/** Makes the channel and the samordnare's personal chat known to the bot. */
async function introduce(target: TestBot) {
  await say(target, '/hjälp', false);
  await say(target, '/hjälp');
  connector.clear();
}

function rows(tablePrefix: string) {
  const store = createTableStore(
    { kind: 'connectionString', connectionString: inject('tableConnectionString') },
    tablePrefix,
  );
  const repository = reminderTable(store);
  return async (from: string, to: string): Promise<Reminder[]> =>
    (await repository.due(new Date(from), new Date(to), REMINDER_STATES)).map((row) => row.value);
}

const postedTitles = (conversationId: string) =>
  connector
    .messages(conversationId)
    .filter((m) => m.method === 'POST')
    .map((m) => cardText(cardOf(m)) || (m.body.text ?? ''));

describe('reminders across restarts and downtime', () => {
  it('when a reminder is scheduled and the bot restarts before it is due, then the new process delivers it once', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const first = await bot();
    await introduce(first);
    await say(first, '/påminnelser ny om 5 min Skicka underlag till RSG');
    expect(connector.messages(channel).map((m) => m.body.text)).toEqual([
      expect.stringMatching(/^Påminnelsen skickas här måndag 23 november kl\. 11:05\.$/),
    ]);
    await first.stop();

    const second = await bot(first.tablePrefix);
    try {
      connector.clear();
      clock = new Date('2026-11-23T10:05:01Z');
      const report = await second.scheduler.tick();
      expect(report).toMatchObject({ due: 1, sent: 1 });
      expect((await second.scheduler.tick()).sent).toBe(0);
      const posted = postedTitles(channel);
      expect(posted).toHaveLength(1);
      expect(posted[0]).toContain('Skicka underlag till RSG');
    } finally {
      await second.stop();
    }
  });

  it('when the bot was down for two hours, then a reminder due meanwhile is still sent (within the grace window)', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const first = await bot();
    await introduce(first);
    await say(first, '/påminnelser ny om 5 min Inom fönstret');
    await first.stop();

    clock = new Date('2026-11-23T12:05:00Z');
    const second = await bot(first.tablePrefix);
    try {
      connector.clear();
      expect((await second.scheduler.tick()).sent).toBe(1);
      expect(postedTitles(channel)).toEqual([expect.stringContaining('Inom fönstret')]);
    } finally {
      await second.stop();
    }
  });

  it('when the bot was down past the grace window, then the reminder is marked missed and the samordnare is told instead', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const first = await bot();
    await introduce(first);
    await say(first, '/påminnelser ny om 5 min För sent nu');
    await first.stop();

    clock = new Date('2026-11-23T17:06:00Z');
    const second = await bot(first.tablePrefix);
    try {
      connector.clear();
      const report = await second.scheduler.tick();
      expect(report).toMatchObject({ missed: 1, sent: 0 });
      expect(postedTitles(channel)).toEqual([]);
      const told = postedTitles(personal);
      expect(told).toHaveLength(1);
      expect(told[0]).toContain('”För sent nu”');
      expect(told[0]).toContain('boten var inte igång');
      const [stored] = await rows(first.tablePrefix)(
        '2026-11-23T00:00:00Z',
        '2026-11-24T00:00:00Z',
      );
      expect(stored?.state).toBe('missed');
    } finally {
      await second.stop();
    }
  });
});

describe('delivery faults', () => {
  let target: TestBot;
  beforeAll(async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    target = await bot();
    await introduce(target);
  });
  afterAll(async () => {
    await target?.stop();
  });

  async function dueNow(text: string) {
    await say(target, `/påminnelser ny om 1 min ${text}`);
    clock = new Date(clock.getTime() + 61_000);
    connector.clear();
  }

  it('when Teams answers 429 with Retry-After, then the bot waits that long and the reminder arrives once', async () => {
    await dueNow('Efter strypning');
    connector.failNext({ status: 429, retryAfterSeconds: 1 });
    const report = await target.scheduler.tick();
    expect(report.sent).toBe(1);
    expect(connector.refused.map((r) => r.status)).toEqual([429]);
    expect(postedTitles(channel)).toEqual([expect.stringContaining('Efter strypning')]);
    expect(connector.receivedAt[0]! - connector.refused[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('when Teams answers 502 for a channel reminder, then it is not posted again (at most once), it is marked uncertain, and the samordnare is told to check', async () => {
    await dueNow('Efter 502 i kanalen');
    connector.failNext(502);
    const report = await target.scheduler.tick();
    expect(report).toMatchObject({ sent: 0, uncertain: 1 });
    expect(connector.refused.map((r) => r.status)).toEqual([502]);
    expect(postedTitles(channel)).toEqual([]);
    const told = postedTitles(personal);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('Det är oklart om påminnelsen ”Efter 502 i kanalen”');
    expect(told[0]).toContain('Den skickas inte igen');
    clock = new Date(clock.getTime() + 61_000);
    connector.clear();
    expect((await target.scheduler.tick()).sent).toBe(0);
    expect(connector.received).toHaveLength(0);
  });

  it('when Teams keeps failing, then the reminder waits for a later tick instead of being lost, and is sent then', async () => {
    await dueNow('Envis');
    // 412 is retried by the bot's own sender only (the connector client retries 408/429/5xx too).
    connector.failNext(412, 412, 412, 412, 412);
    const first = await target.scheduler.tick();
    expect(first).toMatchObject({ sent: 0, retrying: 1 });
    expect(postedTitles(channel)).toEqual([]);
    clock = new Date(clock.getTime() + 61_000);
    expect((await target.scheduler.tick()).sent).toBe(1);
    expect(postedTitles(channel)).toEqual([expect.stringContaining('Envis')]);
  });

  it('when the bot was removed from the channel (403), then the target is marked stale, the samordnare is told, and nothing is retried', async () => {
    await dueNow('Till en borttagen kanal');
    await say(target, '/påminnelser ny om 1 min Nästa till samma kanal');
    connector.clear();
    connector.failNext(403);
    const report = await target.scheduler.tick();
    expect(report).toMatchObject({ sent: 0, failed: 1 });
    expect(connector.refused.map((r) => r.status)).toEqual([403]);
    const told = postedTitles(personal);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('”Till en borttagen kanal”');
    expect(told[0]).toContain('boten är inte längre med i kanalen');

    clock = new Date(clock.getTime() + 61_000);
    connector.clear();
    const next = await target.scheduler.tick();
    expect(next).toMatchObject({ sent: 0, failed: 1 });
    expect(connector.refused).toHaveLength(0);
    expect(postedTitles(channel)).toEqual([]);
    expect(postedTitles(personal)).toEqual([expect.stringContaining('Nästa till samma kanal')]);
  });
});

describe('daylight saving time', () => {
  it('when reminders are set at 02:30 on both DST Sundays, then each is sent once, at 03:30 in spring and at the first 02:30 in autumn', async () => {
    clock = new Date('2027-03-20T10:00:00Z');
    const target = await bot();
    try {
      await introduce(target);
      await say(target, '/påminnelser ny 2027-03-28 02:30 Vårdagjämning');
      await say(target, '/påminnelser ny 2027-10-31 02:30 Höstmörker');
      const stored = await rows(target.tablePrefix)('2027-03-01T00:00:00Z', '2027-12-01T00:00:00Z');
      expect(stored.map((r) => [r.title, r.dueAt])).toEqual([
        ['Vårdagjämning', '2027-03-28T01:30:00.000Z'],
        ['Höstmörker', '2027-10-31T00:30:00.000Z'],
      ]);

      connector.clear();
      clock = new Date('2027-03-28T01:29:59Z');
      expect((await target.scheduler.tick()).sent).toBe(0);
      clock = new Date('2027-03-28T01:30:00Z');
      expect((await target.scheduler.tick()).sent).toBe(1);

      clock = new Date('2027-10-31T00:30:00Z');
      expect((await target.scheduler.tick()).sent).toBe(1);
      clock = new Date('2027-10-31T01:30:00Z');
      expect((await target.scheduler.tick()).sent).toBe(0);
      const posted = postedTitles(channel);
      expect(posted).toHaveLength(2);
      expect(posted[0]).toContain('söndag 28 mars kl. 03:30');
      expect(posted[1]).toContain('söndag 31 oktober kl. 02:30');
    } finally {
      await target.stop();
    }
  });
});

describe('managing reminders', () => {
  it('when a samordnare pauses a reminder, then it is not sent when due; resumed, it is; sent now, it goes once', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const target = await bot();
    try {
      await introduce(target);
      await say(target, '/påminnelser ny om 10 min Pausas en stund');
      await say(target, '/påminnelser ny om 20 min Skickas direkt');
      connector.clear();
      const [pausable, sendable] = await target.reminders.upcoming(channel);
      const click = async (verb: string, data: object, from = admin) => {
        const response = await target.post(
          cardAction(verb, { ...data }, { serviceUrl: connector.url, from, where }),
        );
        return cardText((response.body as { value: unknown }).value);
      };
      const ref = (r: Reminder | undefined) => ({ id: r!.id, dueAt: r!.dueAt });

      expect(await click('reminders.pause', ref(pausable), users.erik)).toContain(
        'Bara samordnare',
      );
      expect(await click('reminders.pause', ref(pausable))).toContain('Påminnelsen är pausad.');
      clock = new Date('2026-11-23T10:10:30Z');
      expect((await target.scheduler.tick()).sent).toBe(0);
      expect(await click('reminders.resume', ref(pausable))).toContain(
        'Tiden för påminnelsen har passerat',
      );

      expect(await click('reminders.sendNow', ref(pausable))).toContain('Påminnelsen är skickad.');
      expect(await click('reminders.sendNow', ref(pausable))).toContain(
        'Påminnelsen var redan skickad',
      );
      expect(await click('reminders.pause', ref(sendable))).toContain('Påminnelsen är pausad.');
      expect(await click('reminders.resume', ref(sendable))).toContain(
        'Påminnelsen är återupptagen.',
      );
      clock = new Date('2026-11-23T10:20:30Z');
      expect((await target.scheduler.tick()).sent).toBe(1);
      const posted = postedTitles(channel);
      expect(posted.filter((t) => t.includes('Pausas en stund'))).toHaveLength(1);
      expect(posted.filter((t) => t.includes('Skickas direkt'))).toHaveLength(1);
    } finally {
      await target.stop();
    }
  });

  it('when a posted reminder card is updated later, then the same message is replaced in the channel', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const target = await bot();
    try {
      await introduce(target);
      const { reminder } = await target.reminders.schedule({
        id: 'test.deadline-1',
        kind: 'agendaDeadline',
        conversationId: channel,
        dueAt: new Date('2026-11-23T10:01:00Z'),
        title: 'Referensgrupp',
        text: 'Sista dag för punkter är i dag kl. 12:00.',
        cardKey: 'deadline.test-1',
        ownerId: admin.id,
        createdBy: admin.id,
      });
      clock = new Date('2026-11-23T10:01:00Z');
      expect((await target.scheduler.tick()).sent).toBe(1);
      const [posted] = connector.messages(channel);
      connector.clear();

      expect(await target.reminders.updatePosted(reminder, 'Sista dag har passerat.')).toBe(true);
      const [put] = connector.received;
      expect(put?.method).toBe('PUT');
      expect(put?.activityId).toBeDefined();
      expect(put?.conversationId).toBe(posted?.conversationId);
      expect(cardText(cardOf(put))).toContain('Sista dag har passerat.');
      expect(connector.messages(channel).filter((m) => m.method === 'POST')).toHaveLength(0);
    } finally {
      await target.stop();
    }
  });
});

describe('graceful shutdown', () => {
  it('when an instance stops in the middle of a tick, then it hands back what it has not posted, and the next instance sends the rest, each once', async () => {
    const realTime = { now: () => new Date() };
    const first = await startTestBot({ ...env }, realTime);
    const tablePrefix = first.tablePrefix;
    await introduce(first);
    const dueAt = new Date();
    for (let n = 0; n < 20; n++) {
      await first.reminders.schedule({
        id: `test.shutdown-${n}`,
        kind: 'custom',
        conversationId: channel,
        dueAt,
        title: `Avstängning ${n}`,
        text: '',
        ownerId: admin.id,
        createdBy: admin.id,
      });
    }
    connector.clear();
    connector.delayMs = 200;
    try {
      const tick = first.scheduler.tick();
      while (connector.messages(channel).length < 3) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await first.stop();
      await tick;
      const sentBeforeStop = connector.messages(channel).length;
      const stored = await rows(tablePrefix)(
        new Date(dueAt.getTime() - 60_000).toISOString(),
        new Date(dueAt.getTime() + 60_000).toISOString(),
      );
      expect(stored.filter((r) => r.state === 'sent')).toHaveLength(sentBeforeStop);
      expect(stored.filter((r) => r.state === 'scheduled')).toHaveLength(20 - sentBeforeStop);
      expect(stored.some((r) => r.leaseOwner !== undefined)).toBe(false);
      expect(sentBeforeStop).toBeLessThan(20);

      connector.delayMs = 0;
      const second = await startTestBot({ ...env, TABLE_PREFIX: tablePrefix }, realTime);
      try {
        await second.scheduler.tick();
        const titles = postedTitles(channel).map((t) => /Avstängning \d+/.exec(t)?.[0]);
        expect(new Set(titles).size).toBe(20);
        expect(titles).toHaveLength(20);
      } finally {
        await second.stop();
      }
    } finally {
      connector.delayMs = 0;
    }
  });
});

import { newId } from '../../src/ids.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cardAction,
  meetingEvent,
  OTHER_TENANT_ID,
  TENANT_ID,
  users,
  type TestUser,
} from '../support/activities.js';
import { actionData } from '../support/card-actions.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, uniquePrefix, type TestBot } from '../support/test-bot.js';
import { grantRoles } from '../support/grant-roles.js';

/**
 * Teams' meeting start and end events: the running meeting is posted once and the samordnare
 * is asked to close once, however often (and on however many instances) Teams delivers the
 * event; events that belong to no series, or come from a tenant not served, do nothing; and the
 * cards' own buttons work with or without the events. Real HTTP endpoint, real Azurite, the
 * recording Bot Connector, a fixed clock on the meeting day.
 */
const { anna, erik } = users;
/** The meeting day, before the meeting (13:00 in Stockholm is 12:00 UTC in January). */
const NOW = new Date('2027-01-12T09:00:00Z');
const STARTED = new Date('2027-01-12T12:02:00Z');
const ENDED = new Date('2027-01-12T13:31:00Z');
const tablePrefix = uniquePrefix();

let connector: FakeConnector;
let bot: TestBot;
let second: TestBot;

beforeAll(async () => {
  connector = await new FakeConnector().start();
  const env = {
    TABLE_PREFIX: tablePrefix,
    ALLOWED_TENANT_IDS: TENANT_ID,
    BOOTSTRAP_ADMIN_IDS: anna.aadObjectId,
  };
  bot = await startTestBot(env, { now: () => NOW });
  second = await startTestBot(env, { now: () => NOW });
  await grantRoles(bot, connector.url, [
    [anna, 'samordnare forbundskansliet'],
    [erik, 'representant fk'],
  ]);
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await second?.stop();
  await connector?.stop();
});

const channelOf = (name: string) => `19:${name}-${newId().slice(0, 8)}@thread.tacv2`;
const whereOf = (conversationId: string) => ({ kind: 'channel' as const, conversationId });

async function click(
  verb: string,
  data: Record<string, unknown>,
  conversationId: string,
  from: TestUser = anna,
) {
  const response = await bot.post(
    cardAction(verb, data, { serviceUrl: connector.url, from, where: whereOf(conversationId) }),
  );
  expect(response.status).toBe(200);
  return (response.body as { value: Record<string, unknown> }).value;
}

/** A referensgrupp series in `conversationId` meeting today and in a week, 13:00. */
async function createSeries(conversationId: string) {
  const card = await click(
    'meeting.create',
    {
      requestId: newId(),
      type: 'referensgrupp',
      name: 'Referensgrupp Södra',
      recurrence: 'dates',
      dates: '2027-01-12, 2027-01-19',
      startDate: '2027-01-12',
      time: '13:00',
      place: 'Teams',
      organisations: 'fk,region',
    },
    conversationId,
  );
  expect(cardText(card)).toContain('är skapad');
  return actionData(card, 'agenda.open') as { meetingId: string; date: string };
}

function event(
  kind: 'start' | 'end',
  conversationId: string,
  options: { id?: string; at?: Date; tenantId?: string } = {},
) {
  return meetingEvent(kind, options.at ?? (kind === 'start' ? STARTED : ENDED), {
    serviceUrl: connector.url,
    from: anna,
    where: whereOf(conversationId),
    ...(options.id ? { id: options.id } : {}),
    ...(options.tenantId ? { tenantId: options.tenantId } : {}),
  });
}

/** Sends an event and waits for the follow-up work of both instances. */
async function send(activity: object, on: TestBot = bot) {
  const response = await on.post(activity);
  await Promise.all([bot.idle(), second.idle()]);
  return response;
}

/** The cards posted (POST, not updates) in a conversation whose refresh verb is `verb`. */
const postedWith = (conversationId: string, verb: 'meeting.view' | 'meeting.ended') =>
  connector.received.filter(
    (r) =>
      r.method === 'POST' &&
      r.conversationId === conversationId &&
      (cardOf(r)?.refresh as { action?: { verb?: string } } | undefined)?.action?.verb === verb,
  );

const postsIn = (conversationId: string) =>
  connector.received.filter((r) => r.method === 'POST' && r.conversationId === conversationId);

describe('the meeting starts in Teams', () => {
  it('when the start event arrives twice with the same activity id, then the running meeting is posted once', async () => {
    const channel = channelOf('start-same');
    await createSeries(channel);
    const activity = event('start', channel);
    expect((await send(activity)).status).toBe(200);
    expect((await send(activity)).status).toBe(200);
    const posted = postedWith(channel, 'meeting.view');
    expect(posted).toHaveLength(1);
    const card = cardOf(posted[0])!;
    expect(cardText(card)).toContain('Mötet pågår');
    expect(cardText(card)).toContain('Referensgrupp Södra');
    expect((card.refresh as { userIds: string[] }).userIds).toContain(anna.id);
  });

  it('when the start event arrives twice with different activity ids, then the running meeting is posted once', async () => {
    const channel = channelOf('start-different');
    await createSeries(channel);
    await send(event('start', channel, { id: newId() }));
    await send(event('start', channel, { id: newId(), at: new Date(STARTED.getTime() + 60_000) }));
    expect(postedWith(channel, 'meeting.view')).toHaveLength(1);
  });

  it('when two start events arrive at the same moment on two instances, then the running meeting is posted once', async () => {
    const channel = channelOf('start-concurrent');
    await createSeries(channel);
    const responses = await Promise.all([
      bot.post(event('start', channel, { id: newId() })),
      second.post(event('start', channel, { id: newId() })),
      bot.post(event('start', channel, { id: newId() })),
    ]);
    await Promise.all([bot.idle(), second.idle()]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(postedWith(channel, 'meeting.view')).toHaveLength(1);
  });

  it('when the running meeting was posted by the event, then Starta mötet still opens it for the samordnare and posts nothing more', async () => {
    const channel = channelOf('start-then-button');
    const ref = await createSeries(channel);
    await send(event('start', channel));
    const own = await click('meeting.run', ref, channel);
    expect(cardText(own)).toContain('Mötet pågår');
    expect(JSON.stringify(own)).toContain('meeting.attendance');
    expect(postedWith(channel, 'meeting.view')).toHaveLength(1);
  });

  it('when no event ever arrives, then Starta mötet opens the running meeting all the same', async () => {
    const channel = channelOf('no-event');
    const ref = await createSeries(channel);
    const own = await click('meeting.run', ref, channel);
    expect(cardText(own)).toContain('Mötet pågår');
    expect(JSON.stringify(own)).toContain('meeting.attendance');
  });

  it('when the channel has no meeting series, then the events are answered 200 and nothing is posted', async () => {
    const channel = channelOf('no-series');
    expect((await send(event('start', channel))).status).toBe(200);
    expect((await send(event('end', channel))).status).toBe(200);
    expect(postsIn(channel)).toHaveLength(0);
  });

  it('when a call starts in the channel at a time no meeting of the series is planned, then nothing is posted', async () => {
    const channel = channelOf('ad-hoc');
    await createSeries(channel);
    await send(event('start', channel, { at: new Date('2027-01-14T08:00:00Z') }));
    expect(postedWith(channel, 'meeting.view')).toHaveLength(0);
  });

  it('when the event comes from a tenant that is not served, then it has no effect and a later event from the right tenant still posts', async () => {
    const channel = channelOf('foreign');
    await createSeries(channel);
    await bot.idle();
    const before = connector.received.length;
    const foreign = await send(event('start', channel, { tenantId: OTHER_TENANT_ID }));
    expect(foreign.status).toBe(200);
    await send(event('end', channel, { tenantId: OTHER_TENANT_ID }));
    expect(connector.received.slice(before).filter((r) => r.conversationId === channel)).toEqual(
      [],
    );
    expect(bot.logLines.some((line) => line.includes('tenant.refused'))).toBe(true);
    await send(event('start', channel));
    expect(postedWith(channel, 'meeting.view')).toHaveLength(1);
  });
});

describe('the meeting ends in Teams', () => {
  it('when the end event arrives twice, then the samordnare is asked to close once', async () => {
    const channel = channelOf('end-twice');
    await createSeries(channel);
    await send(event('start', channel));
    await send(event('end', channel, { id: newId() }));
    await send(event('end', channel, { id: newId(), at: new Date(ENDED.getTime() + 90_000) }));
    const asked = postedWith(channel, 'meeting.ended');
    expect(asked).toHaveLength(1);
    const shared = cardOf(asked[0])!;
    expect(cardText(shared)).toContain('Samordnaren avslutar mötet');
    expect(JSON.stringify(shared)).not.toContain('meeting.close');
    expect((shared.refresh as { userIds: string[] }).userIds[0]).toBe(anna.id);
  });

  it('when the end events arrive at once on two instances, then the samordnare is asked once', async () => {
    const channel = channelOf('end-concurrent');
    await createSeries(channel);
    await Promise.all([
      bot.post(event('end', channel, { id: newId() })),
      second.post(event('end', channel, { id: newId() })),
    ]);
    await Promise.all([bot.idle(), second.idle()]);
    expect(postedWith(channel, 'meeting.ended')).toHaveLength(1);
  });

  it('when the samordnare’s own view of the request is shown, then it closes the meeting, and a later end event asks nothing', async () => {
    const channel = channelOf('end-close');
    const ref = await createSeries(channel);
    await send(event('end', channel));
    const own = await bot.post(
      cardAction('meeting.ended', ref, {
        serviceUrl: connector.url,
        from: anna,
        where: whereOf(channel),
        trigger: 'automatic',
      }),
    );
    const ownCard = (own.body as { value: Record<string, unknown> }).value;
    expect(cardText(ownCard)).toContain('Avsluta mötet här');
    const closeData = actionData(ownCard, 'meeting.close');
    const closed = await click('meeting.close', closeData, channel);
    await bot.idle();
    expect(cardText(closed)).toContain('Minnesanteckningar');
    expect(cardText(closed)).not.toContain('Mötet var redan avslutat');
    const erikView = await bot.post(
      cardAction('meeting.ended', ref, {
        serviceUrl: connector.url,
        from: erik,
        where: whereOf(channel),
        trigger: 'automatic',
      }),
    );
    expect(JSON.stringify(erikView.body)).not.toContain('meeting.close');
    await send(event('end', channel, { id: newId(), at: new Date(ENDED.getTime() + 60_000) }));
    expect(postedWith(channel, 'meeting.ended')).toHaveLength(1);
  });

  it('when the meeting is closed with the card before Teams says it ended, then the end event posts nothing', async () => {
    const channel = channelOf('closed-first');
    const ref = await createSeries(channel);
    expect(cardText(await click('meeting.close', ref, channel))).toContain('Minnesanteckningar');
    await bot.idle();
    await send(event('end', channel));
    expect(postedWith(channel, 'meeting.ended')).toHaveLength(0);
  });
});

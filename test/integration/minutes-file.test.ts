import { newId } from '../../src/ids.js';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocal } from '../../src/schedule/local-time.js';
import { elementIdFor } from '../../src/meetings/series/rules.js';
import { cardAction, message, TENANT_ID, users } from '../support/activities.js';
import { actionData } from '../support/card-actions.js';
import { cardText, FakeConnector } from '../support/fake-connector.js';
import { grantRoles } from '../support/grant-roles.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

/**
 * The minnesanteckningar as a Word file from the minutes card: offered in the clicker's personal
 * chat (here a single-use link, the fake connector being on loopback), the file holding what the
 * meeting decided, in full; without a personal chat the card says what to do and nothing is sent.
 */
const { anna, erik } = users;
const channel = '19:protokoll-word@thread.tacv2';
const where = { kind: 'channel' as const, conversationId: channel };
const NOTES = 'Rad ett med ”citat” och 😀\nRad två: åäö ÅÄÖ';
const DECISION = 'Förbundet bjuder in Arbetsförmedlingen till nästa möte.';

interface World {
  bot: TestBot;
  connector: FakeConnector;
  ref: { meetingId: string; date: string };
}
const world = {} as World;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const fileLinks = () =>
  world.connector.messages().filter((m) => /\/filer\//.test(m.body.text ?? ''));

const click = async (verb: string, data: Record<string, unknown>, from = anna) => {
  const response = await world.bot.post(
    cardAction(verb, data, { serviceUrl: world.connector.url, from, where }),
  );
  expect(response.status).toBe(200);
  return (response.body as { value: Record<string, unknown> }).value;
};

beforeAll(async () => {
  world.connector = await new FakeConnector().start();
  world.bot = await startTestBot({
    ALLOWED_TENANT_IDS: TENANT_ID,
    BOOTSTRAP_ADMIN_IDS: anna.aadObjectId,
  });
  await world.bot.post(message('/hjälp', { serviceUrl: world.connector.url, from: anna }));
  await grantRoles(world.bot, world.connector.url, [
    [erik, 'representant fk'],
    [anna, 'samordnare forbundskansliet'],
  ]);
  const date = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  const created = await click('meeting.create', {
    requestId: newId(),
    type: 'referensgrupp',
    name: 'Referensgrupp: Norra/Södra',
    recurrence: 'dates',
    dates: date,
    // Today in Stockholm, as the form checks it (the UTC date lags an hour or two behind at midnight).
    startDate: toLocal(new Date()).date,
    time: '09:00',
    place: 'Teams',
    organisations: 'fk',
  });
  world.ref = actionData(created, 'agenda.open') as World['ref'];
  const requestId = newId();
  await click('agenda.add', {
    ...world.ref,
    requestId,
    title: 'Gemensam kartläggning åäö',
    category: 'fraga',
  });
  await click('meeting.recordItem', {
    ...world.ref,
    itemId: elementIdFor(anna.id, requestId),
    requestId: newId(),
    notes: NOTES,
    decision: DECISION,
  });
  await click('meeting.close', world.ref);
  await world.bot.idle();
}, 60_000);

afterAll(async () => {
  await world.bot?.stop();
  await world.connector?.stop();
});

describe('the minutes as a Word file', () => {
  it('when a samordnare clicks Hämta som Word on the minutes card, then a single-use link reaches her personal chat and the file holds the minutes in full', async () => {
    const minutes = await click('meeting.minutes', world.ref);
    const data = actionData(minutes, 'meeting.minutesFile');
    expect(data).toEqual({ ...world.ref, requestId: expect.stringMatching(UUID) });
    world.connector.clear();
    const answer = await click('meeting.minutesFile', data);
    expect(cardText(answer)).toContain(
      'Minnesanteckningarna som Word-fil finns i din personliga chatt med boten som en nedladdningslänk.',
    );
    expect(cardText(answer)).toContain('§ 1 Gemensam kartläggning åäö');
    const sent = fileLinks();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.conversationId).not.toBe(channel);
    const link = /\((http:\/\/127\.0\.0\.1:\d+\/filer\/[^)]+)\)/.exec(sent[0]!.body.text!)![1]!;
    const file = await fetch(link.replace(/^http:\/\/127\.0\.0\.1:\d+/, world.bot.url));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain('.docx');
    expect(file.headers.get('content-disposition')).not.toMatch(/Norra\/Södra|Norra:Södra/);
    const text = (await mammoth.extractRawText({ buffer: Buffer.from(await file.arrayBuffer()) }))
      .value;
    expect(text).toContain('Referensgrupp: Norra/Södra');
    expect(text).toContain('Gemensam kartläggning åäö');
    expect(text).toContain('Rad ett med ”citat” och 😀');
    expect(text).toContain('Rad två: åäö ÅÄÖ');
    expect(text).toContain(DECISION);
    expect((await fetch(link.replace(/^http:\/\/127\.0\.0\.1:\d+/, world.bot.url))).status).toBe(
      410,
    );
  });

  it('when the same click arrives three times at once (a double click, Teams re-delivering), then one link is sent and every answer says where it is; a click on the card that came back offers it again', async () => {
    const data = actionData(await click('meeting.minutes', world.ref), 'meeting.minutesFile');
    world.connector.clear();
    const answers = await Promise.all([1, 2, 3].map(() => click('meeting.minutesFile', data)));
    expect(fileLinks()).toHaveLength(1);
    for (const answer of answers)
      expect(cardText(answer)).toMatch(
        /Minnesanteckningarna som Word-fil (finns i din personliga chatt med boten som en nedladdningslänk|är på väg till din personliga chatt med boten)\./,
      );
    expect(answers.some((a) => cardText(a).includes('som en nedladdningslänk'))).toBe(true);
    await click('meeting.minutesFile', data);
    expect(fileLinks()).toHaveLength(1);

    const again = actionData(answers[0]!, 'meeting.minutesFile');
    expect(again.requestId).not.toBe(data.requestId);
    await click('meeting.minutesFile', again);
    expect(fileLinks()).toHaveLength(2);
  });

  it('when a card from before the request id re-delivers its click (same activity), then one link is sent; a new click sends another', async () => {
    world.connector.clear();
    const activity = cardAction('meeting.minutesFile', world.ref, {
      serviceUrl: world.connector.url,
      from: anna,
      where,
    });
    expect((await world.bot.post(activity)).status).toBe(200);
    expect((await world.bot.post(activity)).status).toBe(200);
    expect(fileLinks()).toHaveLength(1);
    await click('meeting.minutesFile', world.ref);
    expect(fileLinks()).toHaveLength(2);
  });

  it('when someone without a personal chat with the bot clicks it, then the card says how to open one and nothing is sent', async () => {
    world.connector.clear();
    const answer = await click('meeting.minutesFile', world.ref, erik);
    expect(cardText(answer)).toContain('Boten har ingen personlig chatt med dig ännu');
    expect(fileLinks()).toHaveLength(0);
  });

  it('when the click names a meeting that does not exist, then a Swedish error comes back and nothing is sent', async () => {
    world.connector.clear();
    const response = await world.bot.post(
      cardAction(
        'meeting.minutesFile',
        {
          meetingId: world.ref.meetingId.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')),
          date: world.ref.date,
        },
        { serviceUrl: world.connector.url, from: anna, where },
      ),
    );
    expect(response.status).toBe(200);
    expect(cardText((response.body as { value: unknown }).value)).toContain(
      'Mötesserien finns inte i den här kanalen.',
    );
    expect(fileLinks()).toHaveLength(0);
  });
});

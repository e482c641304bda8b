import { newId } from '../../src/ids.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocal } from '../../src/schedule/local-time.js';
import { reminderIdOf } from '../../src/meetings/reminders/meeting-reminders.js';
import { elementIdFor } from '../../src/meetings/series/rules.js';
import { reminderTable } from '../../src/storage/reminder-table.js';
import { storeFor } from '../support/table-snapshot.js';
import { cardAction, message, TENANT_ID, users } from '../support/activities.js';
import { actionData } from '../support/card-actions.js';
import {
  cardOf,
  cardText,
  FakeConnector,
  type ReceivedActivity,
} from '../support/fake-connector.js';
import { startTestBot, uniquePrefix, type TestBot } from '../support/test-bot.js';
import { grantRoles } from '../support/grant-roles.js';

/**
 * The dagordning and the minutes are posted once, however many instances get the click at the
 * same moment (several bots on one Azurite, real HTTP, the fake Bot Connector), and later
 * changes reach that one post.
 */
const { anna, erik } = users;
const tablePrefix = uniquePrefix();
let connector: FakeConnector;
const bots: TestBot[] = [];

beforeAll(async () => {
  connector = await new FakeConnector().start();
  for (let i = 0; i < 3; i++) {
    bots.push(
      await startTestBot({
        TABLE_PREFIX: tablePrefix,
        ALLOWED_TENANT_IDS: TENANT_ID,
        BOOTSTRAP_ADMIN_IDS: anna.aadObjectId,
      }),
    );
  }
  await bots[0]!.post(message('/hjälp', { serviceUrl: connector.url, from: anna }));
  await grantRoles(bots[0]!, connector.url, [
    [erik, 'representant fk'],
    [anna, 'samordnare forbundskansliet'],
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(bots.map((bot) => bot.stop()));
  await connector?.stop();
});

/** Twenty Tuesdays from about two months ahead. */
function tuesdays(count: number): string[] {
  const start = new Date(Date.now() + 60 * 86_400_000);
  start.setUTCDate(start.getUTCDate() + ((9 - start.getUTCDay()) % 7));
  return Array.from({ length: count }, (_, n) =>
    new Date(start.getTime() + n * 7 * 86_400_000).toISOString().slice(0, 10),
  );
}

async function click(
  bot: TestBot,
  channel: string,
  verb: string,
  data: Record<string, unknown>,
  id?: string,
) {
  const activity = cardAction(verb, data, {
    serviceUrl: connector.url,
    from: anna,
    where: { kind: 'channel', conversationId: channel },
  });
  const response = await bot.post(id ? { ...activity, id } : activity);
  expect(response.status).toBe(200);
  return (response.body as { value: Record<string, unknown> }).value;
}

const idle = () => Promise.all(bots.map((bot) => bot.idle()));

/** A series of 20 meetings in a channel of its own, each with one item on its agenda. */
async function meetings(channel: string) {
  const dates = tuesdays(20);
  const created = await click(bots[0]!, channel, 'meeting.create', {
    requestId: newId(),
    type: 'referensgrupp',
    name: 'Referensgrupp samtidigt',
    recurrence: 'dates',
    dates: dates.join(', '),
    // Today in Stockholm, as the form checks it (the UTC date lags an hour or two behind at midnight).
    startDate: toLocal(new Date()).date,
    time: '09:00',
    place: 'Teams',
    organisations: 'fk',
    holidayPolicy: 'keep',
    summerBreak: 'false',
  });
  const { meetingId } = actionData(created, 'agenda.open') as { meetingId: string };
  const refs = dates.map((date) => ({ meetingId, date }));
  const items = await Promise.all(
    refs.map(async (ref, n) => {
      const requestId = newId();
      await click(bots[n % 3]!, channel, 'agenda.add', {
        ...ref,
        requestId,
        title: `Punkt ${ref.date}`,
        category: 'fraga',
      });
      return elementIdFor(anna.id, requestId);
    }),
  );
  await idle();
  return { refs, items };
}

/** Posts of one kind of card to a channel, by the meeting date their card is about. */
function postsByDate(channel: string, heading: string, verb: string) {
  const byDate = new Map<string, ReceivedActivity[]>();
  for (const post of connector.received) {
    if (post.method !== 'POST' || post.conversationId !== channel) continue;
    const card = cardOf(post);
    const text = cardText(card);
    if (!(text.startsWith(heading) || text.includes(`\n${heading} ·`))) continue;
    const { date } = actionData(card, verb) as { date: string };
    byDate.set(date, [...(byDate.get(date) ?? []), post]);
  }
  return byDate;
}

const updatesOf = (activityId: string | undefined) =>
  connector.received.filter((r) => r.method === 'PUT' && r.activityId === activityId);

describe('a card posted once, by claim, across instances', () => {
  for (const instances of [2, 3]) {
    it(
      `when Visa dagordning is clicked on ${instances} instances at the same moment for 20 meetings, then each dagordning is posted once and a later change reaches that post`,
      { timeout: 120_000 },
      async () => {
        const channel = `19:samtidig-dagordning-${instances}@thread.tacv2`;
        const { refs } = await meetings(channel);
        const answers = await Promise.all(
          refs.flatMap((ref) =>
            bots.slice(0, instances).map((bot) => click(bot, channel, 'agenda.final', ref)),
          ),
        );
        await idle();
        const posts = postsByDate(channel, 'Dagordning', 'meeting.run');
        const counts = refs.map((ref) => posts.get(ref.date)?.length ?? 0);
        const notices = answers.map(
          (card) => /skickad|uppdaterad|skickas just nu|kunde inte/.exec(cardText(card))?.[0],
        );
        process.stdout.write(
          `dagordning on ${instances} instances, 20 meetings: posts per meeting ${JSON.stringify(counts)}; answers ${JSON.stringify(
            Object.fromEntries(
              [...new Set(notices)].map((n) => [n, notices.filter((m) => m === n).length]),
            ),
          )}\n`,
        );
        expect(counts).toEqual(refs.map(() => 1));
        expect(notices.filter((n) => n === 'kunde inte')).toEqual([]);

        await Promise.all(
          refs.map((ref, n) =>
            click(bots[n % instances]!, channel, 'agenda.add', {
              ...ref,
              requestId: newId(),
              title: `Senare punkt ${ref.date}`,
              category: 'information',
            }),
          ),
        );
        await idle();
        for (const ref of refs) {
          const [post] = posts.get(ref.date)!;
          const later = updatesOf(post!.responseId).map((put) => cardText(cardOf(put)));
          expect(later.some((text) => text.includes(`Senare punkt ${ref.date}`))).toBe(true);
        }
      },
    );
  }

  it(
    'when the dagordning reminder comes due on one instance while a samordnare clicks Visa dagordning on another, then each dagordning is posted once',
    { timeout: 120_000 },
    async () => {
      const channel = '19:samtidig-paminnelse@thread.tacv2';
      const { refs } = await meetings(channel);
      const dueAt = new Date();
      await Promise.all(
        refs.map((ref) =>
          bots[1]!.reminders.schedule({
            id: reminderIdOf(ref.meetingId, ref.date, 'finalAgenda'),
            kind: 'finalAgenda',
            conversationId: channel,
            dueAt,
            title: 'Referensgrupp samtidigt',
            text: 'Dagordningen är klar.',
            cardKey: `dagordning.${ref.meetingId}.${ref.date}`,
            ownerId: anna.id,
            createdBy: anna.id,
          }),
        ),
      );
      const [ticked] = await Promise.all([
        bots[1]!.scheduler.tick(),
        ...refs.map((ref) => click(bots[0]!, channel, 'agenda.final', ref)),
      ]);
      await idle();
      const posts = postsByDate(channel, 'Dagordning', 'meeting.run');
      const counts = refs.map((ref) => posts.get(ref.date)?.length ?? 0);
      process.stdout.write(
        `dagordning by reminder and click at once: tick ${JSON.stringify(ticked)}; posts per meeting ${JSON.stringify(counts)}\n`,
      );
      expect(counts).toEqual(refs.map(() => 1));
      // Every reminder ended sent: it posted, or updated the post the click made.
      expect(ticked.sent).toBe(refs.length);
    },
  );

  it(
    'when Skicka nu is pressed for 20 kallelser on three instances at the same moment, then each kallelse is posted once and a later item reaches it',
    { timeout: 120_000 },
    async () => {
      const channel = '19:samtidig-kallelse@thread.tacv2';
      const { refs } = await meetings(channel);
      const planned = await reminderTable(storeFor(tablePrefix)).forConversation(
        channel,
        new Date(),
        new Date(Date.now() + 400 * 86_400_000),
      );
      const kallelser = refs.map((ref) => {
        const id = reminderIdOf(ref.meetingId, ref.date, 'kallelse');
        return planned.find((r) => r.id === id) ?? { id, dueAt: '' };
      });
      const known = kallelser.filter((k) => k.dueAt !== '');
      expect(known).toHaveLength(refs.length);
      const answers = await Promise.all(
        known.flatMap((reminder) =>
          bots.map((bot) =>
            click(bot, channel, 'reminders.sendNow', { id: reminder.id, dueAt: reminder.dueAt }),
          ),
        ),
      );
      const sentNow = answers.filter((card) => cardText(card).includes('Påminnelsen är skickad.'));
      expect(sentNow).toHaveLength(known.length);
      await idle();
      const posts = postsByDate(channel, 'Kallelse', 'agenda.open');
      const counts = known.map((k) => posts.get(k.id.split('.')[2]!)?.length ?? 0);
      process.stdout.write(
        `kallelse Skicka nu on 3 instances: ${known.length} kallelser, posts per kallelse ${JSON.stringify(counts)}\n`,
      );
      expect(counts).toEqual(known.map(() => 1));
      const [first] = known;
      const date = first!.id.split('.')[2]!;
      await click(bots[1]!, channel, 'agenda.add', {
        meetingId: refs[0]!.meetingId,
        date,
        requestId: newId(),
        title: 'Efter kallelsen',
        category: 'fraga',
      });
      await idle();
      const updates = updatesOf(posts.get(date)![0]!.responseId).map((put) =>
        cardText(cardOf(put)),
      );
      expect(updates.some((text) => text.includes('Efter kallelsen'))).toBe(true);
    },
  );

  for (const instances of [2, 3]) {
    it(
      `when a meeting is closed on ${instances} instances at the same moment, for 20 meetings, then each set of minutes is posted once and a correction reaches that post`,
      { timeout: 120_000 },
      async () => {
        const channel = `19:samtidig-protokoll-${instances}@thread.tacv2`;
        const { refs, items } = await meetings(channel);
        const decisions = await Promise.all(
          refs.map(async (ref, n) => {
            const requestId = newId();
            await click(bots[n % 3]!, channel, 'meeting.recordItem', {
              ...ref,
              itemId: items[n],
              requestId,
              decision: `Beslut ${ref.date}`,
            });
            return elementIdFor(anna.id, requestId);
          }),
        );
        await Promise.all(
          refs.flatMap((ref) =>
            bots.slice(0, instances).map((bot) => click(bot, channel, 'meeting.close', ref)),
          ),
        );
        await idle();
        const posts = postsByDate(channel, 'Minnesanteckningar', 'meeting.minutes');
        const counts = refs.map((ref) => posts.get(ref.date)?.length ?? 0);
        process.stdout.write(
          `minutes on ${instances} instances, 20 meetings: posts per meeting ${JSON.stringify(counts)}\n`,
        );
        expect(counts).toEqual(refs.map(() => 1));

        await Promise.all(
          refs.map((ref, n) =>
            click(bots[(n + 1) % instances]!, channel, 'meeting.correctDecision', {
              ...ref,
              decisionId: decisions[n],
              requestId: newId(),
              [`correction-${decisions[n]}`]: `Rättat ${ref.date}`,
            }),
          ),
        );
        await idle();
        for (const ref of refs) {
          const [post] = posts.get(ref.date)!;
          const later = updatesOf(post!.responseId).map((put) => cardText(cardOf(put)));
          expect(later.some((text) => text.includes(`Rättat ${ref.date}`))).toBe(true);
        }
      },
    );
  }
});

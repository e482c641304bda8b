import { newId } from '../../src/ids.js';
import { describe, expect, it } from 'vitest';
import { cardAction, TENANT_ID, users } from '../support/activities.js';
import { actionData } from '../support/card-actions.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { grantRoles } from '../support/grant-roles.js';
import { startTestBot } from '../support/test-bot.js';

/**
 * The kallelse posted in the channel is updated at most once per `CARD_UPDATE_DELAY_MS`: the
 * first change at once, the changes after it collected into one more update, so a burst of added
 * items updates it twice, never once per item, and the last update shows every item. Without the
 * delay nearly every item updates it.
 */
const { anna, erik } = users;
const channel = '19:samlade-uppdateringar@thread.tacv2';
const where = { kind: 'channel' as const, conversationId: channel };
const ITEMS = 6;

/** Adds six items in a row to a posted kallelse; answers the updates the kallelse got. */
async function burst(delayMs: number) {
  let clock = new Date('2026-12-01T08:00:00Z');
  const connector = await new FakeConnector().start();
  const bot = await startTestBot(
    {
      ALLOWED_TENANT_IDS: TENANT_ID,
      BOOTSTRAP_ADMIN_IDS: anna.aadObjectId,
      CARD_UPDATE_DELAY_MS: String(delayMs),
    },
    { now: () => clock },
  );
  try {
    await grantRoles(bot, connector.url, [
      [erik, 'representant fk'],
      [anna, 'samordnare forbundskansliet'],
    ]);
    const click = async (verb: string, data: Record<string, unknown>, from = anna) => {
      const response = await bot.post(
        cardAction(verb, data, { serviceUrl: connector.url, from, where }),
      );
      expect(response.status).toBe(200);
      return (response.body as { value: Record<string, unknown> }).value;
    };
    const created = await click('meeting.create', {
      requestId: newId(),
      type: 'referensgrupp',
      name: 'Referensgrupp Norra',
      recurrence: 'dates',
      dates: '2027-01-12',
      startDate: '2026-12-01',
      time: '13:00',
      place: 'Teams',
      organisations: 'fk',
    });
    const ref = actionData(created, 'agenda.open') as { meetingId: string; date: string };
    clock = new Date('2027-01-05T08:00:30Z');
    connector.clear();
    expect((await bot.scheduler.tick()).sent).toBe(1);
    const [posted] = connector.messages(channel);
    const kallelse = cardOf(posted)!;
    for (let n = 1; n <= ITEMS; n++) {
      const answer = await click(
        'agenda.add',
        {
          ...ref,
          ...actionData(kallelse, 'agenda.add'),
          requestId: newId(),
          title: `Punkt ${n} om ”samverkan” åäö`,
          category: 'fraga',
        },
        erik,
      );
      expect(cardText(answer)).toContain(`Punkt ${n} om`);
    }
    await bot.idle();
    return connector.received.filter(
      (r) => r.method === 'PUT' && r.activityId === posted!.responseId,
    );
  } finally {
    await bot.stop();
    await connector.stop();
  }
}

describe('the posted kallelse after a burst of changes', () => {
  it('when six items are added in a row with a delay of 400 ms, then the kallelse is updated after the first at once and once more for the rest, and the last update shows all six', async () => {
    const updates = await burst(400);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates.length).toBeLessThanOrEqual(3);
    expect(cardText(cardOf(updates[0]))).toContain('§ 1 Punkt 1 om');
    const last = cardText(cardOf(updates.at(-1)));
    for (let n = 1; n <= ITEMS; n++) expect(last).toContain(`§ ${n} Punkt ${n} om`);
  });

  it('when six items are added in a row without a delay, then the kallelse is updated after most of them', async () => {
    const updates = await burst(0);
    // Each update starts right after its answer; only one still running when the next click
    // comes is merged with it.
    expect(updates.length).toBeGreaterThanOrEqual(3);
    expect(cardText(cardOf(updates.at(-1)))).toContain(`§ ${ITEMS} Punkt ${ITEMS} om`);
  });
});

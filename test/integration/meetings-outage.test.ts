import { newId } from '../../src/ids.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../scripts/local/azurite.js';
import { cardAction, TENANT_ID, users } from '../support/activities.js';
import { actionData } from '../support/card-actions.js';
import { cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

/**
 * The agenda while storage is down: a clear Swedish message, nothing half-written, and the same
 * click works once storage is back. Azurite keeps its data on disk so it can be restarted.
 */
const { anna } = users;
const where = { kind: 'channel' as const, conversationId: '19:avbrott@thread.tacv2' };
const clock = new Date('2026-12-01T08:00:00Z');
const location = mkdtempSync(join(tmpdir(), 'finsam-outage-'));

let azurite: RunningAzurite;
let connector: FakeConnector;
let bot: TestBot;
let ref: { meetingId: string; date: string };

beforeAll(async () => {
  azurite = await startAzurite({ location });
  connector = await new FakeConnector().start();
  bot = await startTestBot(
    {
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      ALLOWED_TENANT_IDS: TENANT_ID,
      BOOTSTRAP_ADMIN_IDS: anna.aadObjectId,
    },
    { now: () => clock },
  );
});

afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
  await azurite?.stop();
  rmSync(location, { recursive: true, force: true });
});

const click = async (verb: string, data: Record<string, unknown>) => {
  const response = await bot.post(
    cardAction(verb, data, { serviceUrl: connector.url, from: anna, where }),
  );
  expect(response.status).toBe(200);
  return (response.body as { value: Record<string, unknown> }).value;
};

const secondRequest = newId();
const addSecond = () =>
  click('agenda.add', {
    ...ref,
    requestId: secondRequest,
    title: 'Andra punkten',
    category: 'fraga',
  });

describe('the agenda during a storage outage', () => {
  it('when storage stops while an item is added or edited, then the card says so in Swedish and nothing is saved', async () => {
    const created = await click('meeting.create', {
      requestId: newId(),
      type: 'samrad',
      name: 'Samråd Flen',
      recurrence: 'dates',
      dates: '2026-12-15',
      startDate: '2026-12-01',
      time: '13:00',
      place: 'Kommunhuset',
      organisations: 'kommun-flen',
    });
    ref = actionData(created, 'agenda.open') as typeof ref;
    const first = await click('agenda.add', {
      ...ref,
      requestId: newId(),
      title: 'Första punkten',
      category: 'fraga',
    });
    const itemId = String(actionData(first, 'agenda.manage').itemId);

    await azurite.stop();
    const outage =
      'Lagringen svarar inte just nu, så inget har sparats eller ändrats. Försök igen om en stund.';
    expect(cardText(await addSecond())).toContain(outage);
    const edit = { ...ref, itemId, title: 'Ändrad under avbrott', category: 'fraga' };
    expect(cardText(await click('agenda.edit', edit))).toContain(outage);

    azurite = await startAzurite({ location, port: azurite.port });
    const agenda = cardText(await click('agenda.open', ref));
    expect(agenda).toContain('§ 1 Första punkten');
    expect(agenda).not.toContain('Andra punkten');
    expect(agenda).not.toContain('Ändrad under avbrott');
  });

  it('when storage is back, then the same click adds the item once', async () => {
    expect(cardText(await addSecond())).toContain('”Andra punkten” är tillagd på dagordningen.');
    expect(cardText(await addSecond())).toContain('Punkten fanns redan.');
    const agenda = cardText(await click('agenda.open', ref));
    expect(agenda.match(/Andra punkten/g)).toHaveLength(1);
    expect(agenda).toContain('2 punkter');
  });
});

import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { beforeAll, describe, expect, it, inject } from 'vitest';
import { wire, type Wired } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { cardAction, message, TENANT_ID, users } from '../support/activities.js';
import { cardText } from '../support/fake-connector.js';
import { uniquePrefix } from '../support/test-bot.js';

/**
 * Handler layer: the real bot and services driven by botbuilder's TestAdapter (no HTTP), with a
 * fixed clock so what the handlers record can be checked exactly.
 */
const fixedNow = new Date('2026-03-29T01:30:00.000Z');
let wired: Wired;

beforeAll(async () => {
  const config = loadConfig({
    STORAGE_CONNECTION_STRING: inject('tableConnectionString'),
    TABLE_PREFIX: uniquePrefix(),
    ALLOWED_TENANT_IDS: TENANT_ID,
    BOOTSTRAP_ADMIN_IDS: users.anna.id,
  });
  const store = createTableStore(config.storage, config.tablePrefix);
  wired = await wire(config, store, { logger: createLogger('silent'), now: () => fixedNow });
});

/** Runs one activity through the bot; returns what it sent, the invoke response included. */
async function run(activity: Partial<Activity>): Promise<{ replies: Partial<Activity>[] }> {
  const adapter = new TestAdapter((turn: TurnContext) => wired.bot.handle(turn));
  await adapter.processActivity(activity);
  return { replies: [...adapter.activeQueue] };
}

const serviceUrl = 'http://127.0.0.1:1/';

describe('role handlers', () => {
  it('when an admin grants a role, then the member records who did it and when (from the injected clock)', async () => {
    const text = `/roller ge <at>${users.maria.name}</at> samordnare Region`;
    const { replies } = await run(
      message(text, { serviceUrl, mention: [users.maria] }) as unknown as Partial<Activity>,
    );
    expect(replies.map((r) => r.text)).toEqual([
      'Maria Psykiatrin har nu rollen samordnare (Region (Psykiatrin)).',
    ]);
    const stored = await wired.access.listMembers(
      await wired.access.resolvePrincipal({ userId: users.anna.id, tenantId: TENANT_ID }),
    );
    expect(stored).toEqual([
      {
        id: users.maria.id,
        displayName: 'Maria Psykiatrin',
        organisationId: 'region',
        roles: ['samordnare'],
        updatedAt: fixedNow.toISOString(),
        updatedBy: users.anna.id,
      },
    ]);
  });

  it('when a non-admin asks for /roller, then they see only their own profile card', async () => {
    const { replies } = await run(
      message('/roller', { serviceUrl, from: users.maria }) as unknown as Partial<Activity>,
    );
    const card = replies[0]?.attachments?.[0]?.content;
    expect(cardText(card)).toContain('Dina roller');
    expect(cardText(card)).toContain('Samordnare');
    expect(cardText(card)).not.toContain('Roller i samordningsförbundet');
  });

  it('when the last configured admin tries to revoke their own configured admin role, then it is refused', async () => {
    const { replies } = await run(
      cardAction(
        'roles.revoke',
        { memberId: users.anna.id, role: 'admin' },
        { serviceUrl },
      ) as unknown as Partial<Activity>,
    );
    const invokeResponse = replies.find((r) => r.type === 'invokeResponse');
    const value = (invokeResponse?.value as { body?: { value?: unknown } } | undefined)?.body
      ?.value;
    expect(cardText(value)).toContain('angiven i konfigurationen');
  });
});

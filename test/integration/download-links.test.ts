import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cardAction, message, TENANT_ID, users } from '../support/activities.js';
import { cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, uniquePrefix, type TestBot } from '../support/test-bot.js';

/**
 * Download links with two instances on one storage, as behind App Service's load balancer: a
 * link made on one instance is served by the other, once; it expires after ten minutes; only a
 * hash of its token is stored; and it goes only to the personal chat of the person who asked.
 */
const anna = users.anna;

interface World {
  a: TestBot;
  b: TestBot;
  connector: FakeConnector;
  clock: { now: Date };
}
const world = {} as World;

/** Asks instance A for the report's numbers as CSV; answers the link it sent and where. */
const offer = async () => {
  world.connector.clear();
  const response = await world.a.post(
    cardAction(
      'reports.file',
      { scope: 'lansdel:norra', asOf: '2026-06-30', format: 'csv' },
      { serviceUrl: world.connector.url, from: anna },
    ),
  );
  expect(response.status).toBe(200);
  expect(cardText((response.body as { value: unknown }).value)).toContain('nedladdningslänk');
  const sent = world.connector.messages().filter((m) => /\/filer\//.test(m.body.text ?? ''));
  expect(sent).toHaveLength(1);
  const link = /\((http:\/\/127\.0\.0\.1:\d+\/filer\/[^)]+)\)/.exec(sent[0]!.body.text!)![1]!;
  return { link, conversation: sent[0]!.conversationId };
};
const on = (bot: TestBot, link: string) => link.replace(/^http:\/\/127\.0\.0\.1:\d+/, bot.url);

beforeAll(async () => {
  world.connector = await new FakeConnector().start();
  world.clock = { now: new Date('2026-07-02T08:00:00Z') };
  const env = {
    TABLE_PREFIX: uniquePrefix(),
    ALLOWED_TENANT_IDS: TENANT_ID,
    BOOTSTRAP_ADMIN_IDS: anna.aadObjectId,
  };
  world.a = await startTestBot(env, { now: () => world.clock.now });
  world.b = await startTestBot(env, { now: () => world.clock.now });
  await world.a.post(message('/hjälp', { serviceUrl: world.connector.url, from: anna }));
  await world.a.post(
    message(`/roller ge <at>${anna.name}</at> samordnare forbundskansliet`, {
      serviceUrl: world.connector.url,
      from: anna,
      mention: [anna],
    }),
  );
}, 60_000);

afterAll(async () => {
  await world.a?.stop();
  await world.b?.stop();
  await world.connector?.stop();
});

describe('download links behind a load balancer', () => {
  it('when a link made on one instance is opened on the other, then the file comes once, in the personal chat of the one who asked, and only its hash is stored', async () => {
    const { link, conversation } = await offer();
    expect(conversation).toBe(`a:personal-${anna.id}`);
    const token = link.split('.').at(-1)!;
    const fileOffers = TableClient.fromConnectionString(
      inject('tableConnectionString'),
      `${world.a.tablePrefix}FileOffers`,
      { allowInsecureConnection: true },
    );
    const stored: string[] = [];
    for await (const row of fileOffers.listEntities()) stored.push(JSON.stringify(row));
    expect(stored.join('\n')).not.toContain(token);
    expect(stored.join('\n')).toContain('linkHash');

    const first = await fetch(on(world.b, link));
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const bytes = Buffer.from(await first.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const again = await fetch(on(world.a, link));
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('Länken har gått ut eller har redan använts');
  });

  it('when the same links are opened on both instances at once, then each file is served exactly once', async () => {
    const links = [];
    for (let i = 0; i < 6; i++) links.push((await offer()).link);
    const statuses = await Promise.all(
      links.map(async (link) =>
        Promise.all([fetch(on(world.a, link)), fetch(on(world.b, link))]).then((responses) =>
          responses.map((r) => r.status).sort(),
        ),
      ),
    );
    expect(statuses).toEqual(links.map(() => [200, 410]));
  });

  it('when a token is altered, then nothing is served and the real link still works once', async () => {
    const { link } = await offer();
    const last = link.at(-1) === 'A' ? 'B' : 'A';
    for (const forged of [
      `${link.slice(0, -1)}${last}`,
      link.replace(/\.[^.]+$/, ''),
      `${link}x`,
      link.replace(/filer\/[^.]+/, 'filer/AAAAAAAAAAAAAAAAAAAAAA'),
    ]) {
      expect((await fetch(on(world.b, forged))).status).toBe(410);
    }
    expect((await fetch(on(world.b, link))).status).toBe(200);
  });

  it('when ten minutes have passed, then the link is gone', async () => {
    const { link } = await offer();
    const start = world.clock.now;
    try {
      world.clock.now = new Date(start.getTime() + 10 * 60_000);
      expect((await fetch(on(world.b, link))).status).toBe(410);
    } finally {
      world.clock.now = start;
    }
    const fresh = await offer();
    world.clock.now = new Date(start.getTime() + 9 * 60_000);
    try {
      expect((await fetch(on(world.a, fresh.link))).status).toBe(200);
    } finally {
      world.clock.now = start;
    }
  });
});

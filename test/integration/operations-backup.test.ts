import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportAll, restoreAll } from '../../scripts/tables-backup.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { message, users } from '../support/activities.js';
import { FakeConnector } from '../support/fake-connector.js';
import { startTestBot, uniquePrefix, type TestBot } from '../support/test-bot.js';

const admin = users.anna;
let connector: FakeConnector;
let bot: TestBot;

beforeAll(async () => {
  connector = await new FakeConnector().start();
  bot = await startTestBot({ BOOTSTRAP_ADMIN_IDS: admin.aadObjectId });
  await bot.post(message('/hjälp', { serviceUrl: connector.url, from: users.erik }));
  await bot.post(
    message(`/roller ge <at>${users.erik.name}</at> representant fk`, {
      serviceUrl: connector.url,
      mention: [users.erik],
    }),
  );
  await bot.reminders.schedule({
    id: 'backup.kallelse',
    kind: 'custom',
    conversationId: 'a:personal-29:anna',
    dueAt: new Date(Date.now() + 86_400_000),
    title: 'Kallelse',
    text: 'Referensgruppen',
    ownerId: admin.id,
    createdBy: admin.id,
  });
});
afterAll(async () => {
  await bot.stop();
  await connector.stop();
});

const lines = (dir: string, table: string) =>
  readFileSync(join(dir, `${table}.ndjson`), 'utf8')
    .trim()
    .split('\n')
    .sort();

describe('backup and restore of the tables', () => {
  it('when the tables are exported and restored into empty tables, then every row comes back with its types', async () => {
    const source = createTableStore(
      { kind: 'connectionString', connectionString: inject('tableConnectionString') },
      bot.tablePrefix,
    );
    const backup = mkdtempSync(join(tmpdir(), 'finsam-backup-'));
    const counts = await exportAll(source, backup, new Date('2026-11-23T02:00:00Z'));
    // One member, with the audit entry and the request marker of the grant that made it.
    expect(counts.members).toBe(3);
    expect(counts.reminders).toBe(1);
    expect(counts.organisations).toBe(13);
    expect(JSON.parse(readFileSync(join(backup, 'backup.json'), 'utf8'))).toMatchObject({
      exportedAt: '2026-11-23T02:00:00.000Z',
      tables: counts,
    });

    const target = createTableStore(
      { kind: 'connectionString', connectionString: inject('tableConnectionString') },
      uniquePrefix(),
    );
    const restored = await restoreAll(target, backup);
    expect(restored.members).toEqual({ created: 3, existing: 0 });
    expect(restored.organisations).toEqual({ created: 13, existing: 0 });

    const again = mkdtempSync(join(tmpdir(), 'finsam-backup-'));
    await exportAll(target, again);
    for (const table of ['members', 'reminders', 'audit', 'conversations', 'organisations']) {
      expect(lines(again, table)).toEqual(lines(backup, table));
    }
    expect(lines(backup, 'reminders')[0]).toContain('"attempts":{"value":"0","type":"Int32"}');
  });

  it('when a restore is run twice, then nothing is doubled or overwritten', async () => {
    const store = createTableStore(
      { kind: 'connectionString', connectionString: inject('tableConnectionString') },
      bot.tablePrefix,
    );
    const backup = mkdtempSync(join(tmpdir(), 'finsam-backup-'));
    const counts = await exportAll(store, backup);
    const restored = await restoreAll(store, backup);
    expect(restored.members).toEqual({ created: 0, existing: counts.members });
    expect(restored.audit).toEqual({ created: 0, existing: counts.audit });
  });

  it('when the folder holds no backup, then restore refuses before writing', async () => {
    const store = createTableStore(
      { kind: 'connectionString', connectionString: inject('tableConnectionString') },
      uniquePrefix(),
    );
    await expect(restoreAll(store, mkdtempSync(join(tmpdir(), 'empty-')))).rejects.toThrow(
      /holds no backup.json/,
    );
  });
});

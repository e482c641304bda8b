import { describe, expect, inject, it } from 'vitest';
import type { Reminder } from '../../src/reminders/reminders.schema.js';
import { reminderTable } from '../../src/storage/reminder-table.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { uniquePrefix } from '../support/test-bot.js';

async function repository() {
  const store = createTableStore(
    { kind: 'connectionString', connectionString: inject('tableConnectionString') },
    uniquePrefix(),
  );
  await store.ensureTables();
  return reminderTable(store);
}

function reminder(n: number, dueAt: string): Reminder {
  return {
    id: `test.batch.${n}`,
    kind: 'custom',
    conversationId: `19:kanal-${n}@thread.tacv2`,
    dueAt,
    title: `Påminnelse ${n} – ”citat” och radbrytning\nmed 🙂`,
    text: '',
    ownerId: '29:anna',
    state: 'scheduled',
    attempts: 0,
    createdAt: dueAt,
    createdBy: '29:anna',
  };
}

const hourA = '2026-11-23T10:15:00.000Z';
const hourB = '2026-11-23T11:15:00.000Z';

describe('reminders written in entity-group transactions', () => {
  it('when 230 rows in two hourly partitions are replaced, then all are written with new versions that work for the next write', async () => {
    const reminders = await repository();
    const rows = await Promise.all(
      Array.from({ length: 230 }, (_, n) => reminders.create(reminder(n, n < 150 ? hourA : hourB))),
    );
    const claimed = await reminders.replaceMany(
      rows.map((row) => ({ reminder: { ...row.value, state: 'claimed' }, version: row.version })),
    );
    expect(claimed.every((row) => row !== undefined)).toBe(true);
    const sent = await reminders.replaceMany(
      claimed.map((row) => ({ reminder: { ...row!.value, state: 'sent' }, version: row!.version })),
    );
    expect(sent.every((row) => row !== undefined)).toBe(true);
    const stored = await reminders.due(new Date(hourA), new Date(hourB), ['sent']);
    expect(stored).toHaveLength(230);
    expect(stored.find((row) => row.value.id === 'test.batch.7')?.value.title).toBe(
      rows[7]!.value.title,
    );
  });

  it('when one row of a batch changed meanwhile, then that whole batch is refused and writes nothing, and other batches go through', async () => {
    const reminders = await repository();
    const rows = await Promise.all(
      Array.from({ length: 6 }, (_, n) => reminders.create(reminder(n, n < 3 ? hourA : hourB))),
    );
    await reminders.replace({ ...rows[1]!.value, state: 'paused' }, rows[1]!.version);
    const results = await reminders.replaceMany(
      rows.map((row) => ({ reminder: { ...row.value, state: 'claimed' }, version: row.version })),
    );
    expect(results.map((row) => row !== undefined)).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
    const stored = await reminders.due(new Date(hourA), new Date(hourB), [
      'scheduled',
      'paused',
      'claimed',
    ]);
    const stateOf = (n: number) => stored.find((row) => row.value.id === `test.batch.${n}`)?.value;
    expect([0, 1, 2, 3, 4, 5].map((n) => stateOf(n)?.state)).toEqual([
      'scheduled',
      'paused',
      'scheduled',
      'claimed',
      'claimed',
      'claimed',
    ]);
    expect(reminders.batchKey(rows[0]!.value)).not.toBe(reminders.batchKey(rows[5]!.value));
  });
});

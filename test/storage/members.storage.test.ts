import { inject, describe, expect, it } from 'vitest';
import { memberSchema } from '../../src/access/access.schema.js';
import { AggregateTable } from '../../src/storage/aggregate-table.js';
import { memberTable, migrateMembers } from '../../src/storage/access-tables.js';
import { EntityTable } from '../../src/storage/entity-table.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { uniquePrefix } from '../support/test-bot.js';

async function freshStore() {
  const store = createTableStore(
    { kind: 'connectionString', connectionString: inject('tableConnectionString') },
    uniquePrefix(),
  );
  await store.ensureTables();
  return store;
}

const at = '2026-11-01T08:00:00.000Z';

describe('members stored in the earlier shape', () => {
  it('when members exist as rows of the earlier shape, then they are copied once, with an audit entry each', async () => {
    const store = await freshStore();
    const legacy = new EntityTable(store.client('members'), memberSchema, ['roles']);
    await legacy.create('member', 'user-erik', {
      id: 'user-erik',
      displayName: 'Erik Försäkringskassan',
      organisationId: 'fk',
      roles: ['representant'],
      updatedAt: at,
      updatedBy: 'user-anna',
    });
    await legacy.create('member', '29:sara', {
      id: '29:sara',
      roles: ['samordnare', 'coach'],
      updatedAt: at,
      updatedBy: 'user-anna',
    });
    const now = () => new Date('2026-12-03T08:00:00Z');
    expect(await migrateMembers(store, now)).toBe(2);
    expect(await migrateMembers(store, now)).toBe(0);

    const members = memberTable(store);
    expect((await members.get('29:sara'))?.value.roles).toEqual(['samordnare', 'coach']);
    expect((await members.list()).map((m) => m.id).sort()).toEqual(['29:sara', 'user-erik']);
    const audit = await new AggregateTable(store.client('members'), {}).audit('members');
    expect(audit.map((entry) => `${entry.action} ${entry.subjectId}`).sort()).toEqual([
      'roles.migrate 29:sara',
      'roles.migrate user-erik',
    ]);
  });
});

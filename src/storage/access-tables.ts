import { odata } from '@azure/data-tables';
import type { MemberRepository, OrganisationRepository } from '../access/access.repository.js';
import { memberSchema, organisationSchema, type Organisation } from '../access/access.schema.js';
import { AppError, isAppError } from '../errors.js';
import { AggregateTable, type RowKinds } from './aggregate-table.js';
import { EntityTable } from './entity-table.js';
import { encodeKey } from './keys.js';
import type { TableStore } from './table-store.js';

const ORGANISATION = 'organisation';
const LEGACY_MEMBER = 'member';

export function organisationTable(store: TableStore): OrganisationRepository {
  const table = new EntityTable(store.client('organisations'), organisationSchema, ['aliases']);
  return {
    async list() {
      const organisations: Organisation[] = [];
      for await (const row of table.all(odata`PartitionKey eq ${ORGANISATION}`)) {
        organisations.push(row.value);
      }
      return organisations;
    },
    async addMissing(organisations) {
      let added = 0;
      for (const organisation of organisations) {
        try {
          await table.create(ORGANISATION, encodeKey(organisation.id), organisation);
          added++;
        } catch (error) {
          if (!isAppError(error, 'already-exists')) throw error;
        }
      }
      return added;
    },
  };
}

const MEMBERS = 'members';
const memberKinds = {
  member: { prefix: 'm', schema: memberSchema, version: 1, json: ['roles'] },
} satisfies RowKinds;

/**
 * Members: every role assignment of the förbund in one partition (a handful to a few hundred
 * rows), each change written with its audit entry in one transaction.
 * @remarks Rows written before (partition `member`, row key the id) are copied over once by
 * {@link migrateMembers}.
 */
export function memberTable(store: TableStore): MemberRepository {
  const table = new AggregateTable(store.client('members'), memberKinds);
  return {
    async get(id) {
      const row = await table.row(MEMBERS, 'member', id);
      return row ? { value: row.value, version: row.etag } : undefined;
    },
    async list() {
      return (await table.load(MEMBERS, ['member'])).list('member').map((row) => row.value);
    },
    async save(member, version, audit, requestKey) {
      const write =
        version === undefined
          ? ({ op: 'create', kind: 'member', id: member.id, value: member } as const)
          : ({
              op: 'replace',
              kind: 'member',
              id: member.id,
              value: member,
              etag: version,
            } as const);
      try {
        await table.commit(MEMBERS, {
          writes: [write],
          audit: [audit],
          marker: { key: requestKey },
        });
      } catch (error) {
        if (isAppError(error, 'already-exists'))
          throw new AppError('conflict', undefined, { cause: error });
        throw error;
      }
    },
  };
}

/** Copies members stored in the earlier shape (one row per member, no audit) once. */
export async function migrateMembers(store: TableStore, now: () => Date): Promise<number> {
  const legacy = new EntityTable(store.client('members'), memberSchema, ['roles']);
  const table = new AggregateTable(store.client('members'), memberKinds);
  const current = new Set(
    (await table.load(MEMBERS, ['member'])).list('member').map((row) => row.id),
  );
  let copied = 0;
  for await (const row of legacy.all(odata`PartitionKey eq ${LEGACY_MEMBER}`)) {
    if (current.has(row.value.id)) continue;
    try {
      await table.commit(MEMBERS, {
        writes: [{ op: 'create', kind: 'member', id: row.value.id, value: row.value }],
        audit: [
          {
            at: now().toISOString(),
            actorId: 'finsam',
            action: 'roles.migrate',
            subjectType: 'member',
            subjectId: row.value.id,
          },
        ],
        marker: { key: `migrate|${row.value.id}` },
      });
      copied++;
    } catch (error) {
      if (!isAppError(error, 'already-exists')) throw error;
    }
  }
  return copied;
}

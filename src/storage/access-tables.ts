import { odata } from '@azure/data-tables';
import type { MemberRepository, OrganisationRepository } from '../access/access.repository.js';
import {
  memberSchema,
  organisationSchema,
  type Member,
  type Organisation,
} from '../access/access.schema.js';
import { isAppError } from '../errors.js';
import { EntityTable } from './entity-table.js';
import { encodeKey } from './keys.js';
import type { TableStore } from './table-store.js';

const ORGANISATION = 'organisation';
const MEMBER = 'member';

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

export function memberTable(store: TableStore): MemberRepository {
  const table = new EntityTable(store.client('members'), memberSchema, ['roles']);
  return {
    get: (id) => table.get(MEMBER, encodeKey(id)),
    create: (member) => table.create(MEMBER, encodeKey(member.id), member),
    replace: (member, version) => table.replace(MEMBER, encodeKey(member.id), member, version),
    async list() {
      const members: Member[] = [];
      for await (const row of table.all(odata`PartitionKey eq ${MEMBER}`)) members.push(row.value);
      return members;
    },
  };
}

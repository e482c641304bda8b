import { odata } from '@azure/data-tables';
import type {
  CardMessageRepository,
  ConversationRepository,
} from '../conversations/conversations.repository.js';
import {
  cardMessageSchema,
  conversationRecordSchema,
} from '../conversations/conversations.schema.js';
import { EntityTable } from './entity-table.js';
import { encodeKey } from './keys.js';
import type { TableStore } from './table-store.js';

const CONVERSATION = 'conversation';

export function conversationTable(store: TableStore): ConversationRepository {
  const table = new EntityTable(store.client('conversations'), conversationRecordSchema, [
    'reference',
  ]);
  return {
    get: (id) => table.get(CONVERSATION, encodeKey(id)),
    create: (record) => table.create(CONVERSATION, encodeKey(record.conversationId), record),
    replace: (record, version) =>
      table.replace(CONVERSATION, encodeKey(record.conversationId), record, version),
    async findPersonal(userId) {
      const filter = odata`PartitionKey eq ${CONVERSATION} and kind eq ${'personal'} and userId eq ${userId}`;
      const page = await table.page(filter, 1);
      return page.items[0]?.value;
    },
    async *all() {
      for await (const row of table.all(odata`PartitionKey eq ${CONVERSATION}`)) yield row.value;
    },
  };
}

/** One partition per conversation, one row per card key. */
export function cardMessageTable(store: TableStore): CardMessageRepository {
  const table = new EntityTable(store.client('cardMessages'), cardMessageSchema);
  return {
    get: (conversationId, cardKey) => table.get(encodeKey(conversationId), encodeKey(cardKey)),
    create: (message) =>
      table.create(encodeKey(message.conversationId), encodeKey(message.cardKey), message),
    replace: (message, version) =>
      table.replace(
        encodeKey(message.conversationId),
        encodeKey(message.cardKey),
        message,
        version,
      ),
    remove: (conversationId, cardKey, version) =>
      table.remove(encodeKey(conversationId), encodeKey(cardKey), version),
  };
}

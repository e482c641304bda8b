import { odata } from '@azure/data-tables';
import { z } from 'zod';
import type { StatusQueries } from '../status/status.repository.js';
import { EntityTable } from './entity-table.js';
import { reminderTable } from './reminder-table.js';
import type { TableStore } from './table-store.js';

const staleOnly = z.object({ staleSince: z.iso.datetime() });

/** Counts for `/status`; rows are parsed down to what is counted. */
export function statusQueries(store: TableStore): StatusQueries {
  const reminders = reminderTable(store);
  const conversations = new EntityTable(store.client('conversations'), staleOnly);
  return {
    async pendingReminders(from, to) {
      return (await reminders.due(from, to, ['scheduled', 'claimed'])).length;
    },
    async staleConversations() {
      let count = 0;
      for await (const _row of conversations.all(
        odata`staleSince ge ${'1970-01-01T00:00:00.000Z'}`,
      )) {
        count++;
      }
      return count;
    },
    ping: () => store.ping(),
  };
}

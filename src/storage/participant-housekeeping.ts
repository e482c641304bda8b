import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { encodeKey } from './keys.js';
import { REMOVAL_PREFIX } from './participant-report-rows.js';
import { toAppError } from './table-errors.js';

/** Row-key prefixes the aggregate table gives audit entries and request markers. */
const AUDIT = 'audit';
const MARKER = 'req';

/**
 * Row-level housekeeping in the participant partitions: finding rows by key range or filter and
 * removing them in transactions of at most 100 (rows of one partition).
 */
export function participantHousekeeping(client: TableClient) {
  const keysOf = async (filter: string) => {
    const keys: string[] = [];
    try {
      for await (const row of client.listEntities({
        queryOptions: { filter, select: ['RowKey'] },
      })) {
        keys.push(String(row.rowKey));
      }
    } catch (error) {
      throw toAppError(error);
    }
    return keys;
  };

  const removeRows = async (lansdelId: string, rowKeys: readonly string[]) => {
    const pk = encodeKey(lansdelId);
    for (let i = 0; i < rowKeys.length; i += 100) {
      const actions: TransactionAction[] = rowKeys
        .slice(i, i + 100)
        .map((key) => ['delete', { partitionKey: pk, rowKey: key }]);
      try {
        await client.submitTransaction(actions);
      } catch (error) {
        throw toAppError(error);
      }
    }
  };

  /** Counts, or removes when `remove`, the rows a filter finds in one partition. */
  const sweep = async (lansdelId: string, filter: string, remove: boolean) => {
    const keys = await keysOf(filter);
    if (remove) await removeRows(lansdelId, keys);
    return keys.length;
  };

  return {
    keysOf,
    removeRows,

    /** Audit entries written before `cutoff` (their keys start with the time). */
    oldAudit(lansdelId: string, cutoff: Date, remove: boolean) {
      const pk = encodeKey(lansdelId);
      const filter = odata`PartitionKey eq ${pk} and RowKey ge ${`${AUDIT}|`} and RowKey lt ${`${AUDIT}|${cutoff.toISOString()}`}`;
      return sweep(lansdelId, filter, remove);
    },

    /**
     * Deletes a header and writes the given rows (a removal mark) in one transaction, so the
     * mark exists exactly when the header is gone.
     */
    async removeHeader(
      lansdelId: string,
      headerKey: string,
      marks: readonly { partitionKey: string; rowKey: string; [key: string]: unknown }[],
    ) {
      const actions: TransactionAction[] = [
        ['delete', { partitionKey: encodeKey(lansdelId), rowKey: headerKey }],
        ...marks.map((mark): TransactionAction => ['upsert', mark, 'Replace']),
      ];
      try {
        await client.submitTransaction(actions);
      } catch (error) {
        throw toAppError(error);
      }
    },

    /** Removal marks written before `cutoff`; answers how many were removed. */
    oldRemovals(lansdelId: string, cutoff: Date) {
      const pk = encodeKey(lansdelId);
      const filter = odata`PartitionKey eq ${pk} and RowKey ge ${`${REMOVAL_PREFIX}|`} and RowKey lt ${`${REMOVAL_PREFIX}}`} and at lt ${cutoff.toISOString()}`;
      return sweep(lansdelId, filter, true);
    },

    /** Request markers written before `cutoff`. */
    oldMarkers(lansdelId: string, cutoff: Date, remove: boolean) {
      const pk = encodeKey(lansdelId);
      const filter = odata`PartitionKey eq ${pk} and RowKey ge ${`${MARKER}|`} and RowKey lt ${`${MARKER}}`} and at lt ${cutoff.toISOString()}`;
      return sweep(lansdelId, filter, remove);
    },

    /** One participant's own rows of a kind (`e`, `o`) or its audit entries. */
    ownRows(lansdelId: string, prefix: string, code: string) {
      const pk = encodeKey(lansdelId);
      return prefix === AUDIT
        ? keysOf(
            odata`PartitionKey eq ${pk} and RowKey ge ${`${AUDIT}|`} and RowKey lt ${`${AUDIT}}`} and subjectId eq ${code}`,
          )
        : keysOf(
            odata`PartitionKey eq ${pk} and RowKey ge ${`${prefix}|${code}|`} and RowKey lt ${`${prefix}|${code}}`}`,
          );
    },
  };
}

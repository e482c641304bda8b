import type { TableClient } from '@azure/data-tables';
import { AppError } from '../errors.js';
import type { ParticipantChange } from '../participants/participants.repository.js';
import { encodeKey } from './keys.js';
import { participantRowKeys } from './participant-rows.js';
import { isNotFound, isPreconditionFailed, isUnavailable, toAppError } from './table-errors.js';

/**
 * After a change to a participant was reported not stored (its answer was lost and its marker
 * not found), makes sure it cannot still land: storage may apply a request it received later.
 * The header is touched (an empty merge) on the version the change was conditional on; if that
 * succeeds, the change can never land. If the header moved on, the change's history row tells
 * whether it was this change that moved it. Answers whether it landed; when storage cannot be
 * asked, the outcome is unknown.
 */
export async function fenceLostChange(
  client: TableClient,
  change: ParticipantChange & { readonly version: string },
): Promise<'landed' | 'not-landed'> {
  const { participant } = change;
  const partitionKey = encodeKey(participant.lansdelId);
  try {
    try {
      await client.updateEntity(
        { partitionKey, rowKey: participantRowKeys.header(participant.code) },
        'Merge',
        { etag: change.version },
      );
      return 'not-landed';
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
    }
    const ours = change.events[0];
    if (!ours) return 'not-landed';
    try {
      const row = await client.getEntity<{ id?: string }>(
        partitionKey,
        participantRowKeys.event(ours.code, ours.on, ours.seq),
      );
      return row.id === ours.id ? 'landed' : 'not-landed';
    } catch (error) {
      if (isNotFound(error)) return 'not-landed';
      throw error;
    }
  } catch (error) {
    if (isUnavailable(error)) throw new AppError('outcome-unknown', undefined, { cause: error });
    throw toAppError(error);
  }
}

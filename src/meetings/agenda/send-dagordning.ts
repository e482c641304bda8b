import type { Principal } from '../../access/access.schema.js';
import type { CardJson } from '../../bot/card-renderer.js';
import type { Occurrence } from '../meetings.schema.js';
import { cardKeyOf, type PostDeps, type PostOutcome } from '../posting/channel-cards.js';
import { occurrenceOf, requireCoordinator } from '../series/rules.js';
import type { SeriesState } from '../series/series-state.js';
import { readSeries, windowFor, type OccurrenceRef } from '../series/unit-of-work.js';

/**
 * Sends the dagordning to the channel (samordnare), once however many instances are clicked
 * at once: the card is posted once per card key and otherwise updated in place.
 */
export async function sendDagordning(
  deps: PostDeps,
  actor: Principal,
  ref: OccurrenceRef,
  card: (state: SeriesState, occurrence: Occurrence) => CardJson,
): Promise<{ state: SeriesState; occurrence: Occurrence; outcome: PostOutcome }> {
  requireCoordinator(actor, 'Bara samordnare kan skicka ut dagordningen.');
  const state = await readSeries(deps, ref, windowFor(ref.date, deps.now()));
  const occurrence = occurrenceOf(state, ref.date);
  const outcome = await deps.cards.postOnce(
    ref.conversationId,
    cardKeyOf('dagordning', ref.meetingId, ref.date),
    async () => card(state, occurrence),
  );
  return { state, occurrence, outcome };
}

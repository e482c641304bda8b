import type { OrgNames } from '../cards/card-parts.js';
import { agendaCard, dagordningCard } from '../cards/agenda-cards.js';
import { minutesCard, minutesOf } from '../cards/minutes-cards.js';
import { occurrenceOf } from '../series/rules.js';
import { readSeries, windowFor, type OccurrenceRef } from '../series/unit-of-work.js';
import { cardKeyOf, type PostDeps } from './channel-cards.js';

export interface PublishDeps extends PostDeps {
  readonly names: () => Promise<OrgNames>;
}

/**
 * Brings the channel's posted cards of a meeting up to date after a change, so everyone sees
 * the same agenda, not only the person who clicked.
 * @remarks Runs after the answer, coalesced per meeting, and reads the meeting afresh: another
 * instance may have changed it since, and the last update must show the last state. A failed
 * update leaves the change saved; the card's own refresh and Uppdatera catch up.
 */
export function publisher(deps: PublishDeps) {
  const update = async (ref: OccurrenceRef, minutes: boolean) => {
    const state = await readSeries(deps, ref, windowFor(ref.date, deps.now()));
    const occurrence = occurrenceOf(state, ref.date);
    const names = await deps.names();
    const key = (kind: 'kallelse' | 'dagordning' | 'minutes') =>
      cardKeyOf(kind, ref.meetingId, ref.date);
    await Promise.all([
      deps.cards.update(ref.conversationId, key('kallelse'), async () =>
        agendaCard(state, occurrence, names, { shared: true }),
      ),
      deps.cards.update(ref.conversationId, key('dagordning'), async () =>
        dagordningCard(state.series, occurrence, names),
      ),
      minutes
        ? deps.cards.update(ref.conversationId, key('minutes'), async () =>
            minutesCard(minutesOf(state.series, occurrence, names, state.nextAfter(ref.date)?.key)),
          )
        : Promise.resolve(false),
    ]);
  };
  return {
    /** The kallelse and dagordning of a meeting, after its agenda changed. */
    agenda: (ref: OccurrenceRef) =>
      deps.later(`publish|${ref.conversationId}|${ref.meetingId}|${ref.date}`, () =>
        update(ref, false),
      ),
    /** Every posted card of a meeting, minutes included. */
    all: (ref: OccurrenceRef) =>
      deps.later(`publish-all|${ref.conversationId}|${ref.meetingId}|${ref.date}`, () =>
        update(ref, true),
      ),
  };
}
export type Publisher = ReturnType<typeof publisher>;

import type { Organisation } from '../../access/access.schema.js';
import type { OrgNames } from '../cards/card-parts.js';
import { agendaCard, dagordningCard } from '../cards/agenda-cards.js';
import { meetingEndedCard, meetingRunCard } from '../cards/meeting-cards.js';
import { minutesCard, minutesOf } from '../cards/minutes-cards.js';
import { occurrenceOf } from '../series/rules.js';
import { readSeries, windowFor, type OccurrenceRef } from '../series/unit-of-work.js';
import { cardKeyOf, type PostDeps, type PostedCard } from './channel-cards.js';

export interface PublishDeps extends PostDeps {
  readonly names: () => Promise<OrgNames>;
  readonly organisations: () => Promise<readonly Organisation[]>;
  /** The least time between two updates of a meeting's posted cards (the first comes at once). */
  readonly settleMs: number;
}

/**
 * Brings the channel's posted cards of a meeting up to date after a change, so everyone sees
 * the same agenda, not only the person who clicked.
 * @remarks Runs after the answer, coalesced per meeting, and reads the meeting afresh: another
 * instance may have changed it since, and the last update must show the last state. The first
 * change updates the card at once; further changes within `settleMs` of an update collect into
 * one more, so ten items added in a row update the channel's card two or three times, not ten
 * (Teams also limits how often one conversation's messages may change).
 * A failed update leaves the change saved; the card's own refresh and Uppdatera catch up.
 */
export function publisher(deps: PublishDeps) {
  type Part = 'agenda' | 'minutes' | 'live';
  const update = async (ref: OccurrenceRef, parts: readonly Part[]) => {
    const state = await readSeries(deps, ref, windowFor(ref.date, deps.now()));
    const occurrence = occurrenceOf(state, ref.date);
    const [names, coordinators] = await Promise.all([deps.names(), deps.coordinators()]);
    const key = (kind: PostedCard) => cardKeyOf(kind, ref.meetingId, ref.date);
    const shared = { controls: false, coordinators };
    const minutesNow = async () =>
      minutesCard(minutesOf(state.series, occurrence, names, state.nextAfter(ref.date)?.key));
    const updates: Promise<boolean>[] = [];
    if (parts.includes('agenda')) {
      updates.push(
        deps.cards.update(ref.conversationId, key('kallelse'), async () =>
          agendaCard(state, occurrence, names, { coordinators }),
        ),
        deps.cards.update(ref.conversationId, key('dagordning'), async () =>
          dagordningCard(state.series, occurrence, names),
        ),
      );
    }
    if (parts.includes('minutes')) {
      updates.push(deps.cards.update(ref.conversationId, key('minutes'), minutesNow));
    }
    if (parts.includes('live')) {
      updates.push(
        deps.cards.update(ref.conversationId, key('run'), async () =>
          occurrence.state === 'closed'
            ? minutesNow()
            : meetingRunCard(
                state.series,
                occurrence,
                await deps.organisations(),
                undefined,
                0,
                shared,
              ),
        ),
        deps.cards.update(ref.conversationId, key('ended'), async () =>
          meetingEndedCard(state.series, occurrence, shared),
        ),
      );
    }
    await Promise.all(updates);
  };
  const later = (name: string, ref: OccurrenceRef, parts: readonly Part[]) =>
    deps.later(
      `${name}|${ref.conversationId}|${ref.meetingId}|${ref.date}`,
      () => update(ref, parts),
      deps.settleMs,
    );
  return {
    /** The kallelse and dagordning of a meeting, after its agenda changed. */
    agenda: (ref: OccurrenceRef) => later('publish', ref, ['agenda']),
    /**
     * The cards posted when Teams said the meeting started or ended, after attendance, notes,
     * decisions or the closing changed.
     */
    live: (ref: OccurrenceRef) => later('publish-live', ref, ['live']),
    /** Every posted card of a meeting. */
    all: (ref: OccurrenceRef) => later('publish-all', ref, ['agenda', 'minutes', 'live']),
  };
}
export type Publisher = ReturnType<typeof publisher>;

import type { CardJson } from '../../bot/card-renderer.js';
import type { DeliveryOutcome } from '../../bot/delivery.js';
import { isAppError } from '../../errors.js';
import type { Reminder } from '../../reminders/reminders.schema.js';
import { agendaCard, dagordningCard } from '../cards/agenda-cards.js';
import type { OrgNames } from '../cards/card-parts.js';
import type { PostedCard } from '../meetings.schema.js';
import { cardKeyOf, claimPost, settlePost, type PostDeps } from '../posting/post-once.js';
import { occurrenceOf } from '../series/rules.js';
import { readSeries, windowFor, type OccurrenceRef } from '../series/unit-of-work.js';

/** How long a reminder waits for a post another instance is making. */
const WAIT_FOR_POST_MS = 20_000;

const meetingReminder = /^mtg\.([a-z0-9-]+)\.(\d{4}-\d{2}-\d{2})\.(kallelse|finalAgenda)$/;

export interface ReminderPostDeps extends PostDeps {
  readonly names: () => Promise<OrgNames>;
}

function meetingOf(reminder: Reminder): { ref: OccurrenceRef; kind: PostedCard } | undefined {
  const match = meetingReminder.exec(reminder.id);
  if (!match) return undefined;
  const [, meetingId, date, step] = match as unknown as [string, string, string, string];
  return {
    ref: { conversationId: reminder.conversationId, meetingId, date },
    kind: step === 'kallelse' ? 'kallelse' : 'dagordning',
  };
}

/**
 * The card a meeting reminder is posted as, built when it is sent so it shows the agenda as it
 * stands then: the kallelse is the live agenda with its form, the final agenda the dagordning.
 * Other reminders keep the generic reminder card (undefined).
 */
export function meetingReminderCards(deps: ReminderPostDeps) {
  return async (reminder: Reminder): Promise<CardJson | undefined> => {
    const meeting = meetingOf(reminder);
    return meeting ? buildCard(deps, meeting.ref, meeting.kind) : undefined;
  };
}

async function buildCard(deps: ReminderPostDeps, ref: OccurrenceRef, kind: PostedCard) {
  const state = await readSeries(deps, ref, windowFor(ref.date, deps.now()));
  const occurrence = occurrenceOf(state, ref.date);
  const names = await deps.names();
  return kind === 'kallelse'
    ? agendaCard(state, occurrence, names, { shared: true })
    : dagordningCard(state.series, occurrence, names);
}

type Deliver = (reminder: Reminder, beforePost: () => Promise<boolean>) => Promise<DeliveryOutcome>;

/**
 * Wraps the reminder engine's delivery so a kallelse or dagordning goes through the meeting's
 * post claim: the scheduler posts only when it wins the claim; when the card is already out
 * (a samordnare clicked Visa dagordning, or a post from before claims existed), it updates that
 * post instead and reports the reminder sent; while another instance is posting it waits for
 * that post and updates it (or, when none comes, leaves the reminder for a later tick).
 */
export function postOnceDelivery(deps: ReminderPostDeps, deliver: Deliver): Deliver {
  return async (reminder, beforePost) => {
    const meeting = meetingOf(reminder);
    if (!meeting) return deliver(reminder, beforePost);
    const { ref, kind } = meeting;
    const key = cardKeyOf(kind, ref.meetingId, ref.date);
    const build = () => buildCard(deps, ref, kind);
    let claim;
    try {
      claim = await claimPost(deps, ref, kind);
    } catch (error) {
      if (isAppError(error, 'not-found')) return deliver(reminder, beforePost);
      throw error;
    }
    if (claim.kind === 'busy') {
      // Another instance is posting this card right now: wait for its post and update it.
      if (!(await beforePost())) return { kind: 'aborted' };
      const until = Date.now() + WAIT_FOR_POST_MS;
      while (Date.now() < until) {
        if (await deps.cards.update(ref.conversationId, key, build)) {
          return { kind: 'sent', activityId: 'earlier-post' };
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      return { kind: 'retries-exhausted' };
    }
    const updated = async (activityId: string): Promise<DeliveryOutcome> =>
      (await beforePost()) ? { kind: 'sent', activityId } : { kind: 'aborted' };
    if (claim.kind === 'posted') {
      await deps.cards.update(ref.conversationId, key, build);
      return updated(claim.claim.activityId ?? 'earlier-post');
    }
    let outcome: DeliveryOutcome;
    try {
      outcome = (await deps.cards.update(ref.conversationId, key, build))
        ? await updated('earlier-post')
        : await deliver(reminder, beforePost);
    } catch (error) {
      await settlePost(deps, ref, kind, claim.claim, undefined);
      throw error;
    }
    const activityId = outcome.kind === 'sent' ? outcome.activityId : undefined;
    await settlePost(deps, ref, kind, claim.claim, activityId);
    return outcome;
  };
}

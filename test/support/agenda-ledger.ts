import { newId } from '../../src/ids.js';
import type { TableStore } from '../../src/storage/table-store.js';
import type { TestUser, Where } from './activities.js';
import { cardText } from './fake-connector.js';
import { addAcknowledged, itemForm, storedMeeting, type MeetingRef } from './meeting-setup.js';
import type { Client, Reply } from './teams-client.js';

interface Attempt {
  readonly ref: MeetingRef;
  readonly title: string;
  /** Who clicked first: a double click is the same person clicking again. */
  readonly from: TestUser;
}

/**
 * Keeps the books of agenda adds the way a user would: which request ids were answered with a
 * success notice ("är tillagd" or "fanns redan"), which were refused and with what text. The
 * stored agendas are then checked against it.
 */
export class AgendaLedger {
  readonly attempts = new Map<string, Attempt>();
  readonly acknowledged = new Set<string>();
  readonly refusals: string[] = [];
  readonly replies: Reply[] = [];
  private counter = 0;

  /**
   * Adds a new item, or clicks again on an earlier request when `requestId` is given (as the
   * person who clicked first: the same card clicked by someone else is their own new item).
   */
  async add(
    client: Client,
    ref: MeetingRef,
    from: TestUser,
    where: Where,
    requestId: string = newId(),
  ): Promise<boolean> {
    const attempt = this.attempts.get(requestId) ?? {
      ref,
      title: `Punkt ${++this.counter} ${requestId.slice(0, 6)}`,
      from,
    };
    this.attempts.set(requestId, attempt);
    const { reply, card } = await client.click(
      'agenda.add',
      itemForm(attempt.ref, attempt.title, requestId),
      attempt.from,
      where,
    );
    this.replies.push(reply);
    if (card && addAcknowledged(card, attempt.title)) {
      this.acknowledged.add(requestId);
      return true;
    }
    this.refusals.push(card ? cardText(card) : `HTTP ${reply.status}`);
    return false;
  }

  /** A request id tried before, picked with `random` in [0, 1). */
  earlier(random: number): string | undefined {
    const ids = [...this.attempts.keys()];
    return ids[Math.floor(random * ids.length)];
  }

  /**
   * Reads every agenda the ledger touched. `missing`: acknowledged but not stored;
   * `duplicated`: stored more than once; `unacknowledged`: stored though the user was told
   * it failed (possible when storage took the write but the answer was lost).
   */
  async verify(store: TableStore) {
    const titles = new Map<string, number>();
    const refs = new Map<string, MeetingRef>();
    for (const { ref } of this.attempts.values()) refs.set(`${ref.meetingId}|${ref.date}`, ref);
    let stored = 0;
    for (const ref of refs.values()) {
      const { items } = await storedMeeting(store, ref);
      for (const item of items) {
        stored++;
        titles.set(item.title, (titles.get(item.title) ?? 0) + 1);
      }
    }
    const missing = [...this.acknowledged].filter(
      (id) => titles.get(this.attempts.get(id)!.title) !== 1,
    );
    const duplicated = [...titles].filter(([, n]) => n > 1).map(([title]) => title);
    const unacknowledged = [...this.attempts]
      .filter(([id, { title }]) => !this.acknowledged.has(id) && titles.has(title))
      .map(([id]) => id);
    return { stored, missing, duplicated, unacknowledged };
  }
}

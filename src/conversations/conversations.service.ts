import { retryOnConflict } from '../concurrency.js';
import { isAppError } from '../errors.js';
import type { Versioned } from '../versioned.js';
import type { CardMessageRepository, ConversationRepository } from './conversations.repository.js';
import {
  postedCard,
  type CardMessage,
  type ConversationKind,
  type ConversationRecord,
  type ConversationReferenceData,
  type PostedCard,
} from './conversations.schema.js';

/** How long a conversation read from storage is trusted before it is read again. */
const RECORD_TTL_MS = 5 * 60_000;
/** More missing conversations than this are read in one scan of the partition. */
const POINT_READS_MAX = 3;

/**
 * Keeps a reference to every conversation the bot hears from, and the cards it posted.
 * @remarks Teams sends the install event only once, so the reference is refreshed from every
 * inbound activity; an in-process fingerprint cache keeps that to one write per change.
 * References read for sending are cached for a few minutes per instance (a scheduler tick
 * sending to 200 channels must not read 200 rows); a 403 marks a conversation stale at once.
 */
export class ConversationService {
  private readonly known = new Map<string, string>();
  private readonly records = new Map<string, { record?: ConversationRecord; at: number }>();

  constructor(
    private readonly conversations: ConversationRepository,
    private readonly cards: CardMessageRepository,
    private readonly now: () => Date,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  async remember(input: {
    reference: ConversationReferenceData;
    kind: ConversationKind;
    tenantId: string;
    teamId?: string;
  }): Promise<void> {
    const conversationId = input.reference.conversation.id;
    const fingerprint = JSON.stringify([input.reference, input.kind, input.tenantId, input.teamId]);
    if (this.known.get(conversationId) === fingerprint) return;

    const record: ConversationRecord = {
      conversationId,
      tenantId: input.tenantId,
      kind: input.kind,
      reference: input.reference,
      updatedAt: this.now().toISOString(),
      ...(input.teamId ? { teamId: input.teamId } : {}),
      ...(input.kind === 'personal' && input.reference.user
        ? { userId: input.reference.user.id }
        : {}),
    };
    await this.write(conversationId, (current) =>
      current && sameTarget(current, record) ? undefined : record,
    );
    this.known.set(conversationId, fingerprint);
  }

  async find(conversationId: string): Promise<ConversationRecord | undefined> {
    const cached = this.cached(conversationId);
    if (cached) return cached.record;
    const record = (await this.conversations.get(conversationId))?.value;
    this.cache(conversationId, record);
    return record;
  }

  /**
   * The conversations behind many ids, for a batch of sends: a few are read one by one, more
   * in one scan of the conversations partition (which also warms the cache for later ticks).
   */
  async findMany(ids: Iterable<string>): Promise<Map<string, ConversationRecord | undefined>> {
    const wanted = [...new Set(ids)];
    const missing = wanted.filter((id) => !this.cached(id));
    if (missing.length > POINT_READS_MAX) {
      const seen = new Set<string>();
      for await (const record of this.conversations.all()) {
        this.cache(record.conversationId, record);
        seen.add(record.conversationId);
      }
      for (const id of missing) if (!seen.has(id)) this.cache(id, undefined);
    } else {
      await Promise.all(missing.map((id) => this.find(id)));
    }
    return new Map(wanted.map((id) => [id, this.cached(id)?.record]));
  }

  findPersonal(userId: string): Promise<ConversationRecord | undefined> {
    return this.conversations.findPersonal(userId);
  }

  /** Teams answered 403: the bot is no longer in the conversation. */
  async markStale(conversationId: string): Promise<void> {
    const at = this.now().toISOString();
    await this.write(conversationId, (current) =>
      current && !current.staleSince ? { ...current, staleSince: at } : undefined,
    );
    this.known.delete(conversationId);
  }

  /** The posted card under `cardKey`, if there is one (a claim still being posted is not). */
  async findCard(conversationId: string, cardKey: string): Promise<PostedCard | undefined> {
    return postedCard((await this.cards.get(conversationId, cardKey))?.value);
  }

  /** Records which activity shows a card, replacing an older post of the same card. */
  async recordCard(conversationId: string, cardKey: string, activityId: string): Promise<void> {
    const at = this.now().toISOString();
    await retryOnConflict(async () => {
      const stored = await this.cards.get(conversationId, cardKey);
      const posted = {
        conversationId,
        cardKey,
        state: 'posted' as const,
        activityId,
        postedAt: at,
      };
      if (!stored) await this.cards.create(posted);
      else if (postedCard(stored.value)?.activityId !== activityId) {
        await this.cards.replace(posted, stored.version);
      }
    });
  }

  /** The claim row of a "post once" card, with its version. */
  cardClaim(conversationId: string, cardKey: string): Promise<Versioned<CardMessage> | undefined> {
    return this.cards.get(conversationId, cardKey);
  }

  /** Creates the claim row; undefined when another caller holds the key already. */
  async createCardClaim(claim: CardMessage): Promise<Versioned<CardMessage> | undefined> {
    try {
      return await this.cards.create(claim);
    } catch (error) {
      if (isAppError(error, 'already-exists')) return undefined;
      throw error;
    }
  }

  /** Replaces the claim row at `version`; undefined when someone changed it first. */
  async replaceCardClaim(
    claim: CardMessage,
    version: string,
  ): Promise<Versioned<CardMessage> | undefined> {
    try {
      return await this.cards.replace(claim, version);
    } catch (error) {
      if (isAppError(error, 'conflict')) return undefined;
      throw error;
    }
  }

  /** Removes a claim whose post was refused, so a later call may post; false on a lost race. */
  async removeCardClaim(claim: CardMessage, version: string): Promise<boolean> {
    try {
      await this.cards.remove(claim.conversationId, claim.cardKey, version);
      return true;
    } catch (error) {
      if (isAppError(error, 'conflict') || isAppError(error, 'not-found')) return false;
      throw error;
    }
  }

  private cached(conversationId: string) {
    const entry = this.records.get(conversationId);
    if (!entry || this.clock() - entry.at > RECORD_TTL_MS) return undefined;
    return entry;
  }

  private cache(conversationId: string, record: ConversationRecord | undefined) {
    this.records.set(conversationId, { ...(record ? { record } : {}), at: this.clock() });
  }

  private async write(
    conversationId: string,
    next: (current: ConversationRecord | undefined) => ConversationRecord | undefined,
  ): Promise<void> {
    await retryOnConflict(async () => {
      const stored = await this.conversations.get(conversationId);
      const record = next(stored?.value);
      if (!record) {
        if (stored) this.cache(conversationId, stored.value);
        return;
      }
      if (stored) await this.conversations.replace(record, stored.version);
      else await this.conversations.create(record);
      this.cache(conversationId, record);
    });
  }
}

function sameTarget(a: ConversationRecord, b: ConversationRecord): boolean {
  return (
    !a.staleSince &&
    a.kind === b.kind &&
    a.tenantId === b.tenantId &&
    a.teamId === b.teamId &&
    JSON.stringify(a.reference) === JSON.stringify(b.reference)
  );
}

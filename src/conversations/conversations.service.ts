import { retryOnConflict } from '../concurrency.js';
import type { CardMessageRepository, ConversationRepository } from './conversations.repository.js';
import type {
  CardMessage,
  ConversationKind,
  ConversationRecord,
  ConversationReferenceData,
} from './conversations.schema.js';

/**
 * Keeps a reference to every conversation the bot hears from, and the ids of cards it posted.
 * @remarks Teams sends the install event only once, so the reference is refreshed from every
 * inbound activity; an in-process fingerprint cache keeps that to one write per change.
 */
export class ConversationService {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly conversations: ConversationRepository,
    private readonly cards: CardMessageRepository,
    private readonly now: () => Date,
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
    return (await this.conversations.get(conversationId))?.value;
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

  async findCard(conversationId: string, cardKey: string): Promise<CardMessage | undefined> {
    return (await this.cards.get(conversationId, cardKey))?.value;
  }

  /** Records which activity shows a card, replacing an older post of the same card. */
  async recordCard(conversationId: string, cardKey: string, activityId: string): Promise<void> {
    const at = this.now().toISOString();
    await retryOnConflict(async () => {
      const stored = await this.cards.get(conversationId, cardKey);
      if (!stored) {
        await this.cards.create({ conversationId, cardKey, activityId, postedAt: at });
      } else if (stored.value.activityId !== activityId) {
        await this.cards.replace({ ...stored.value, activityId, postedAt: at }, stored.version);
      }
    });
  }

  private async write(
    conversationId: string,
    next: (current: ConversationRecord | undefined) => ConversationRecord | undefined,
  ): Promise<void> {
    await retryOnConflict(async () => {
      const stored = await this.conversations.get(conversationId);
      const record = next(stored?.value);
      if (!record) return;
      if (stored) await this.conversations.replace(record, stored.version);
      else await this.conversations.create(record);
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

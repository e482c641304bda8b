import type { Versioned } from '../versioned.js';
import type { CardMessage, ConversationRecord } from './conversations.schema.js';

export interface ConversationRepository {
  get(conversationId: string): Promise<Versioned<ConversationRecord> | undefined>;
  create(record: ConversationRecord): Promise<Versioned<ConversationRecord>>;
  replace(record: ConversationRecord, version: string): Promise<Versioned<ConversationRecord>>;
  /** The bot's personal chat with a user, if the user ever wrote to it. */
  findPersonal(userId: string): Promise<ConversationRecord | undefined>;
  /** Every conversation the bot knows, page by page (one partition). */
  all(): AsyncIterable<ConversationRecord>;
}

export interface CardMessageRepository {
  get(conversationId: string, cardKey: string): Promise<Versioned<CardMessage> | undefined>;
  /** Fails with `already-exists` when the key is taken: the claim primitive of "post once". */
  create(message: CardMessage): Promise<Versioned<CardMessage>>;
  /** Fails with `conflict` when the row changed since `version`. */
  replace(message: CardMessage, version: string): Promise<Versioned<CardMessage>>;
  /** Fails with `conflict` when the row changed since `version`. */
  remove(conversationId: string, cardKey: string, version: string): Promise<void>;
}

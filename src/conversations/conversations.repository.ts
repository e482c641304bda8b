import type { Versioned } from '../versioned.js';
import type { CardMessage, ConversationRecord } from './conversations.schema.js';

export interface ConversationRepository {
  get(conversationId: string): Promise<Versioned<ConversationRecord> | undefined>;
  create(record: ConversationRecord): Promise<Versioned<ConversationRecord>>;
  replace(record: ConversationRecord, version: string): Promise<Versioned<ConversationRecord>>;
  /** The bot's personal chat with a user, if the user ever wrote to it. */
  findPersonal(userId: string): Promise<ConversationRecord | undefined>;
}

export interface CardMessageRepository {
  get(conversationId: string, cardKey: string): Promise<Versioned<CardMessage> | undefined>;
  create(message: CardMessage): Promise<Versioned<CardMessage>>;
  replace(message: CardMessage, version: string): Promise<Versioned<CardMessage>>;
}

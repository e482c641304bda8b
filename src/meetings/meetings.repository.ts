import type { Versioned } from '../versioned.js';
import type { ActionItem, Decision, MeetingSeries, Occurrence } from './meetings.schema.js';

export interface MeetingRepository {
  get(conversationId: string, meetingId: string): Promise<Versioned<MeetingSeries> | undefined>;
  list(conversationId: string): Promise<MeetingSeries[]>;
  create(series: MeetingSeries): Promise<Versioned<MeetingSeries>>;
  replace(series: MeetingSeries, version: string): Promise<Versioned<MeetingSeries>>;
}

export interface OccurrenceRepository {
  get(meetingId: string, date: string): Promise<Versioned<Occurrence> | undefined>;
  create(occurrence: Occurrence): Promise<Versioned<Occurrence>>;
  replace(occurrence: Occurrence, version: string): Promise<Versioned<Occurrence>>;
}

export interface DecisionRepository {
  /** Append-only: there is no replace or remove. */
  append(decision: Decision): Promise<void>;
  list(meetingId: string, date: string): Promise<Decision[]>;
}

export interface ActionItemRepository {
  create(item: ActionItem): Promise<void>;
  get(conversationId: string, id: string): Promise<Versioned<ActionItem> | undefined>;
  replace(item: ActionItem, version: string): Promise<void>;
  listOpen(conversationId: string): Promise<ActionItem[]>;
  listOpenForOwner(ownerId: string): Promise<ActionItem[]>;
}

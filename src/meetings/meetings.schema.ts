import { z } from 'zod';
import { scheduleSchema } from '../schedule/schedule.schema.js';
import { localDateSchema } from '../schedule/schedule.schema.js';

export const MEETING_TYPES = [
  'referensgrupp',
  'rsg',
  'psykiatri',
  'styrgrupp',
  'samrad',
  'annat',
] as const;
export const meetingTypeSchema = z.enum(MEETING_TYPES);
export type MeetingType = z.infer<typeof meetingTypeSchema>;

export const ITEM_CATEGORIES = [
  'forbattring',
  'fraga',
  'fungerarBra',
  'information',
  'forBeslut',
] as const;
export const itemCategorySchema = z.enum(ITEM_CATEGORIES);
export type ItemCategory = z.infer<typeof itemCategorySchema>;

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{2,60}$/);
const userId = z.string().min(1).max(200);
const displayName = z.string().max(120);

/** How many days before the meeting each step happens, and at what time of day. */
export const offsetsSchema = z.object({
  callDays: z.number().int().min(1).max(60),
  deadlineDays: z.number().int().min(0).max(59),
  agendaDays: z.number().int().min(0).max(30),
});
export type Offsets = z.infer<typeof offsetsSchema>;

/** A recurring meeting in one channel. Occurrences follow from its schedule. */
export const meetingSeriesSchema = z.object({
  id,
  conversationId: z.string().min(1).max(1000),
  type: meetingTypeSchema,
  name: z.string().min(1).max(120),
  schedule: scheduleSchema,
  place: z.string().max(500),
  organisations: z.array(z.string().max(60)).max(40),
  offsets: offsetsSchema,
  createdBy: userId,
  createdAt: z.iso.datetime(),
});
export type MeetingSeries = z.infer<typeof meetingSeriesSchema>;

/**
 * - active: on the agenda (or proposed in time)
 * - pendingApproval: added after the deadline; the samordnare approves or defers it
 * - deferred: moved on to the next occurrence (a copy is made there)
 * - withdrawn: taken back by its author
 */
export const itemStatusSchema = z.enum(['active', 'pendingApproval', 'deferred', 'withdrawn']);
export type ItemStatus = z.infer<typeof itemStatusSchema>;

export const agendaItemSchema = z.object({
  id: z.string().min(1).max(80),
  title: z.string().min(1).max(150),
  description: z.string().max(1000),
  category: itemCategorySchema,
  presenter: displayName,
  minutes: z.number().int().min(1).max(240),
  organisationId: z.string().max(60).optional(),
  authorId: userId,
  authorName: displayName,
  createdAt: z.iso.datetime(),
  late: z.boolean(),
  status: itemStatusSchema,
  order: z.number().int(),
  /** Set at the meeting: discussed (with notes) or not. */
  handled: z.boolean(),
  notes: z.string().max(2000).optional(),
  /** The occurrence date this item was carried over from. */
  carriedOverFrom: localDateSchema.optional(),
});
export type AgendaItem = z.infer<typeof agendaItemSchema>;

export const occurrenceStateSchema = z.enum(['planned', 'cancelled', 'closed']);

/**
 * One meeting on one date, with its agenda. The whole agenda is one row, so every change is a
 * single conditional write: two people adding at once both land (one retries on the new ETag).
 */
export const occurrenceSchema = z.object({
  meetingId: id,
  /** The date the series planned; the row's key. A moved meeting keeps it. */
  date: localDateSchema,
  startsAt: z.iso.datetime(),
  durationMinutes: z.number().int().min(10).max(600),
  state: occurrenceStateSchema,
  items: z.array(agendaItemSchema).max(40),
  /** Organisation ids present; absent until recorded. */
  attendance: z.array(z.string().max(60)).max(40).optional(),
  closedAt: z.iso.datetime().optional(),
  closedBy: userId.optional(),
  closedByName: displayName.optional(),
  updatedAt: z.iso.datetime(),
});
export type Occurrence = z.infer<typeof occurrenceSchema>;

/** Append-only: a correction is a new row pointing at the one it corrects. */
export const decisionSchema = z.object({
  id: z.string().min(1).max(80),
  meetingId: id,
  date: localDateSchema,
  itemId: z.string().max(80),
  itemTitle: z.string().max(150),
  text: z.string().min(1).max(1000),
  corrects: z.string().max(80).optional(),
  decidedBy: userId,
  decidedByName: displayName,
  at: z.iso.datetime(),
});
export type Decision = z.infer<typeof decisionSchema>;

export const actionItemSchema = z.object({
  id: z.string().min(1).max(80),
  conversationId: z.string().min(1).max(1000),
  meetingId: id,
  date: localDateSchema,
  itemTitle: z.string().max(150),
  what: z.string().min(1).max(300),
  ownerId: userId,
  ownerName: displayName,
  dueDate: localDateSchema,
  done: z.boolean(),
  createdBy: userId,
  createdAt: z.iso.datetime(),
});
export type ActionItem = z.infer<typeof actionItemSchema>;

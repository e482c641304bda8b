import { z } from 'zod';
import { localDateSchema, localTimeSchema, scheduleSchema } from '../schedule/schedule.schema.js';

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

/** Series ids are generated (a hash of who created it and the form's request), never user text. */
export const seriesIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{2,60}$/);
/** Ids of items, decisions and action items: hashes of the request that made them. */
export const elementIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
const userId = z.string().min(1).max(200);
const displayName = z.string().max(120);
const organisationId = z.string().max(60);

/** The most items one agenda holds; carrying items over never goes past it. */
export const MAX_ITEMS = 40;

/** The form limits, shared by the cards, the use cases and the tests that fill them. */
export const LIMITS = {
  seriesName: 120,
  place: 500,
  itemTitle: 150,
  itemDescription: 1000,
  presenter: 120,
  notes: 2000,
  decision: 1000,
  actionWhat: 300,
} as const;

/** How many days before the meeting each step happens. */
export const offsetsSchema = z.object({
  callDays: z.number().int().min(1).max(60),
  deadlineDays: z.number().int().min(0).max(59),
  agendaDays: z.number().int().min(0).max(30),
});
export type Offsets = z.infer<typeof offsetsSchema>;

/**
 * What happens to a kallelse, item deadline, dagordning or action-item reminder that falls on a
 * weekend or a röd dag (julafton, midsommarafton and nyårsafton count as days off).
 */
export const stepDayRuleSchema = z.enum(['previousWorkday', 'keep']);
export type StepDayRule = z.infer<typeof stepDayRuleSchema>;

/** A recurring meeting in one channel: the header row of its aggregate. */
export const meetingSeriesSchema = z.object({
  id: seriesIdSchema,
  conversationId: z.string().min(1).max(1000),
  type: meetingTypeSchema,
  name: z.string().min(1).max(LIMITS.seriesName),
  schedule: scheduleSchema,
  place: z.string().max(LIMITS.place),
  organisations: z.array(organisationId).max(40),
  offsets: offsetsSchema,
  stepDays: stepDayRuleSchema,
  createdBy: userId,
  createdAt: z.iso.datetime(),
});
export type MeetingSeries = z.infer<typeof meetingSeriesSchema>;

/** A schedule exception of one occurrence, kept on that occurrence's header. */
export const occurrenceExceptionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('cancel') }),
  z.object({
    action: z.literal('move'),
    toDate: localDateSchema,
    toTime: localTimeSchema.optional(),
  }),
]);
export type OccurrenceException = z.infer<typeof occurrenceExceptionSchema>;

export const occurrenceStateSchema = z.enum(['planned', 'cancelled', 'closed']);
export type OccurrenceState = z.infer<typeof occurrenceStateSchema>;

/**
 * The header row of one meeting date, written the first time anything happens to it. Its etag
 * guards every change to that meeting: each change replaces it (with `revision` + 1).
 */
export const occurrenceHeaderSchema = z.object({
  /** The date the series planned; the occurrence's key. A moved meeting keeps it. */
  date: localDateSchema,
  startsAt: z.iso.datetime(),
  durationMinutes: z.number().int().min(10).max(600),
  state: occurrenceStateSchema,
  exception: occurrenceExceptionSchema.optional(),
  /** Organisation ids present; absent until recorded. */
  attendance: z.array(organisationId).max(40).optional(),
  closedAt: z.iso.datetime().optional(),
  closedBy: userId.optional(),
  closedByName: displayName.optional(),
  /** Items that did not fit on the next agenda when the meeting was closed or cancelled. */
  notCarried: z.number().int().min(0).max(MAX_ITEMS).optional(),
  carriedTo: localDateSchema.optional(),
  nextOrder: z.number().int().min(0),
  /**
   * How many items the agenda holds (any status): carrying items over checks the 40-item cap
   * from the header alone, without reading the later meeting's rows.
   */
  itemCount: z.number().int().min(0).max(MAX_ITEMS).optional(),
  revision: z.number().int().min(0),
  updatedAt: z.iso.datetime(),
});
export type OccurrenceHeader = z.infer<typeof occurrenceHeaderSchema>;

/**
 * - active: on the agenda (or proposed in time)
 * - pendingApproval: added after the deadline; the samordnare approves or defers it
 * - deferred: moved on to a later occurrence (a copy is made there)
 * - withdrawn: taken back by its author
 */
export const itemStatusSchema = z.enum(['active', 'pendingApproval', 'deferred', 'withdrawn']);
export type ItemStatus = z.infer<typeof itemStatusSchema>;

export const agendaItemSchema = z.object({
  id: elementIdSchema,
  date: localDateSchema,
  title: z.string().min(1).max(LIMITS.itemTitle),
  description: z.string().max(LIMITS.itemDescription),
  category: itemCategorySchema,
  presenter: displayName,
  minutes: z.number().int().min(1).max(240),
  organisationId: organisationId.optional(),
  authorId: userId,
  authorName: displayName,
  createdAt: z.iso.datetime(),
  late: z.boolean(),
  status: itemStatusSchema,
  order: z.number().int(),
  /** Set at the meeting: discussed (with notes) or not. */
  handled: z.boolean(),
  notes: z.string().max(LIMITS.notes).optional(),
  /** The occurrence date this item was carried over from. */
  carriedOverFrom: localDateSchema.optional(),
});
export type AgendaItem = z.infer<typeof agendaItemSchema>;

/** Append-only: a correction is a new decision pointing at the one it corrects. */
export const decisionSchema = z.object({
  id: elementIdSchema,
  date: localDateSchema,
  itemId: elementIdSchema,
  itemTitle: z.string().max(LIMITS.itemTitle),
  text: z.string().min(1).max(LIMITS.decision),
  corrects: elementIdSchema.optional(),
  decidedBy: userId,
  decidedByName: displayName,
  at: z.iso.datetime(),
});
export type Decision = z.infer<typeof decisionSchema>;

/** The truth about an action item; its reminder is derived from it. */
export const actionItemSchema = z.object({
  id: elementIdSchema,
  meetingId: seriesIdSchema,
  date: localDateSchema,
  conversationId: z.string().min(1).max(1000),
  itemId: elementIdSchema,
  itemTitle: z.string().max(LIMITS.itemTitle),
  what: z.string().min(1).max(LIMITS.actionWhat),
  ownerId: userId,
  ownerName: displayName,
  dueDate: localDateSchema,
  done: z.boolean(),
  doneAt: z.iso.datetime().optional(),
  doneBy: userId.optional(),
  createdBy: userId,
  createdAt: z.iso.datetime(),
});
export type ActionItem = z.infer<typeof actionItemSchema>;

/**
 * One meeting date as the cards and other capabilities see it: its header (stored, or planned
 * from the series when nothing has happened to it yet) with its items, decisions and action
 * items in order.
 */
export interface Occurrence {
  readonly meetingId: string;
  readonly date: string;
  readonly startsAt: string;
  readonly durationMinutes: number;
  readonly state: OccurrenceState;
  readonly attendance?: readonly string[];
  readonly closedAt?: string;
  readonly closedByName?: string;
  readonly header: OccurrenceHeader;
  /** Whether the header is stored (false: planned only, nothing has happened yet). */
  readonly stored: boolean;
  readonly items: readonly AgendaItem[];
  readonly decisions: readonly Decision[];
  readonly actions: readonly ActionItem[];
}

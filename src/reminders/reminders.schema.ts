import { z } from 'zod';

export const REMINDER_KINDS = [
  'kallelse',
  'agendaDeadline',
  'finalAgenda',
  'meetingStart',
  'minutesToApprove',
  'actionItemDue',
  'followUpDue',
  'reportDue',
  'custom',
] as const;
export const reminderKindSchema = z.enum(REMINDER_KINDS);
export type ReminderKind = z.infer<typeof reminderKindSchema>;

/**
 * - scheduled: waiting for its time (or for `notBefore` after a failed attempt)
 * - claimed: an instance holds a lease and is about to send; nothing has gone out yet
 * - sending: the POST to Teams is under way; after a crash here it cannot be known whether it
 *   arrived, so it becomes `uncertain` instead of being sent twice (to a shared conversation;
 *   a reminder to a person's own chat is sent again: see the delivery rule)
 * - sent, paused, cancelled: as they say
 * - missed: due while the bot was down, past the grace window; reported, not sent
 * - failed: Teams refused (bot removed) or retries ran out; reported
 * - uncertain: it may or may not have arrived; reported, never sent again
 * - caughtUp: its time had passed when it was planned; it stands at its planned time only as a
 *   pointer (`catchUpDueAt`) to the row that sends it at once, so planning it again is a no-op
 */
export const REMINDER_STATES = [
  'scheduled',
  'claimed',
  'sending',
  'sent',
  'paused',
  'cancelled',
  'missed',
  'failed',
  'uncertain',
  'caughtUp',
] as const;
export const reminderStateSchema = z.enum(REMINDER_STATES);
export type ReminderState = z.infer<typeof reminderStateSchema>;

/**
 * Why a reminder was not (or perhaps not) delivered; each is told to the owner.
 * - crashed-while-sending: its instance stopped in the middle of the POST
 * - no-clear-answer: Teams gave no clear answer (timeout, reset, 5xx); not sent again
 * - unconfirmed: to a person's own chat, retried after unclear answers until attempts ran out
 */
export const REMINDER_PROBLEMS = [
  'stale',
  'rejected',
  'retries-exhausted',
  'crashed-while-sending',
  'missed',
  'no-clear-answer',
  'unconfirmed',
] as const;

export const reminderSchema = z.object({
  /** Stable id chosen by the scheduling capability, e.g. `meeting.abc.2026-03-10.kallelse`. */
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{2,150}$/),
  kind: reminderKindSchema,
  conversationId: z.string().min(1).max(1000),
  dueAt: z.iso.datetime(),
  title: z.string().min(1).max(200),
  text: z.string().max(2000),
  /** Set when the posted card should be updatable later (e.g. "sista dag har passerat"). */
  cardKey: z.string().max(200).optional(),
  /** Whom to tell when the reminder cannot be delivered: a Teams user id. */
  ownerId: z.string().min(1).max(200),
  state: reminderStateSchema,
  attempts: z.number().int().min(0),
  notBefore: z.iso.datetime().optional(),
  leaseOwner: z.string().max(100).optional(),
  leaseUntil: z.iso.datetime().optional(),
  activityId: z.string().max(200).optional(),
  sentAt: z.iso.datetime().optional(),
  problem: z.enum(REMINDER_PROBLEMS).optional(),
  /** On a row sent as a catch-up: the time it was planned for, which had already passed. */
  plannedFor: z.iso.datetime().optional(),
  /** On a `caughtUp` pointer: the due time of the row that sends it. */
  catchUpDueAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
  createdBy: z.string().max(200),
});
export type Reminder = z.infer<typeof reminderSchema>;

/** Where a reminder is stored: its due time is part of its address. */
export interface ReminderRef {
  readonly id: string;
  readonly dueAt: string;
}

export const reminderRefSchema = z.object({
  id: reminderSchema.shape.id,
  dueAt: z.iso.datetime(),
});

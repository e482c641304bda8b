import { z } from 'zod';
import { isValidLocalDate } from './local-time.js';

export const localDateSchema = z.string().refine(isValidLocalDate, {
  message: 'Datumet ska skrivas ÅÅÅÅ-MM-DD, till exempel 2026-03-10.',
});
export const localTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Tiden ska skrivas TT:MM, till exempel 09:00.');
const monthDaySchema = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
const isoWeekdaySchema = z.number().int().min(1).max(7);

export const recurrenceSchema = z.discriminatedUnion('kind', [
  /** E.g. "andra tisdagen varje månad": nth 2, weekday 2; nth -1 is the last one. */
  z.object({
    kind: z.literal('monthlyNthWeekday'),
    nth: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(-1)]),
    weekday: isoWeekdaySchema,
    intervalMonths: z.number().int().min(1).max(12),
  }),
  z.object({
    kind: z.literal('weekly'),
    weekday: isoWeekdaySchema,
    intervalWeeks: z.number().int().min(1).max(8),
  }),
  /** An explicit list, e.g. the six psykiatri-avstämningar of a termin, or one single meeting. */
  z.object({ kind: z.literal('dates'), dates: z.array(localDateSchema).min(1).max(100) }),
]);
export type Recurrence = z.infer<typeof recurrenceSchema>;

/** What happens to an occurrence on a röd dag. */
export const holidayPolicySchema = z.enum(['skip', 'nextWorkday', 'previousWorkday', 'keep']);
export type HolidayPolicy = z.infer<typeof holidayPolicySchema>;

export const exceptionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('cancel'), date: localDateSchema }),
  z.object({
    action: z.literal('move'),
    date: localDateSchema,
    toDate: localDateSchema,
    toTime: localTimeSchema.optional(),
  }),
]);
export type ScheduleException = z.infer<typeof exceptionSchema>;

export const scheduleSchema = z.object({
  startDate: localDateSchema,
  endDate: localDateSchema.optional(),
  time: localTimeSchema,
  durationMinutes: z.number().int().min(10).max(600),
  recurrence: recurrenceSchema,
  holidayPolicy: holidayPolicySchema,
  /** Inclusive month-day range without meetings, e.g. 06-22 to 08-09. */
  summerBreak: z.object({ from: monthDaySchema, to: monthDaySchema }).optional(),
  exceptions: z.array(exceptionSchema).max(200),
});
export type Schedule = z.infer<typeof scheduleSchema>;

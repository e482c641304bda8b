import type { ReminderService } from './reminders.service.js';

export type { ScheduleInput } from './reminders.service.js';

/** What other capabilities may do with the reminder engine: plan and withdraw reminders. */
export type ReminderScheduling = Pick<ReminderService, 'schedule' | 'cancelPlanned'>;

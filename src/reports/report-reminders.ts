import { createHash } from 'node:crypto';
import type { ReminderScheduling } from '../reminders/reminders.port.js';
import { toInstant, toLocal, type LocalDate } from '../schedule/local-time.js';

/** When the samordnare hear that a lägesrapport is due: 09:00 two weeks before 1 July and 1 January. */
const REMIND_AT = '09:00';
const REMINDERS: readonly {
  remindOn: (year: number) => LocalDate;
  due: (year: number) => string;
}[] = [
  { remindOn: (y) => `${y}-06-17`, due: (y) => `1 juli ${y}` },
  { remindOn: (y) => `${y}-12-18`, due: (y) => `1 januari ${y + 1}` },
];

export interface Coordinator {
  readonly userId: string;
  /** The samordnare's personal chat with the bot. */
  readonly conversationId: string;
}

/** The next report-due reminder time after `now`, with the due date it announces. */
export function nextReportReminder(now: Date): { remindOn: LocalDate; at: Date; due: string } {
  const year = Number(toLocal(now).date.slice(0, 4));
  for (const y of [year, year + 1]) {
    for (const reminder of REMINDERS) {
      const remindOn = reminder.remindOn(y);
      const at = toInstant(remindOn, REMIND_AT);
      if (at > now) return { remindOn, at, due: reminder.due(y) };
    }
  }
  throw new Error('unreachable: a reminder is always due within a year');
}

/**
 * Plans the next report-due reminder for every samordnare with a personal chat. The reminder id
 * names the date and the person, so planning again (at every start, after every /rapport) adds
 * nothing. Returns how many were new.
 */
export async function planReportReminders(deps: {
  readonly reminders: Pick<ReminderScheduling, 'schedule'>;
  readonly coordinators: () => Promise<Coordinator[]>;
  readonly now: () => Date;
}): Promise<number> {
  const next = nextReportReminder(deps.now());
  let created = 0;
  for (const coordinator of await deps.coordinators()) {
    const person = createHash('sha256').update(coordinator.userId).digest('hex').slice(0, 16);
    const result = await deps.reminders.schedule({
      id: `report-due.${next.remindOn}.${person}`,
      kind: 'reportDue',
      conversationId: coordinator.conversationId,
      dueAt: next.at,
      title: `Lägesrapporten ska lämnas senast ${next.due}`,
      text: 'Skriv /rapport för hela förbundet eller till exempel /rapport Norra för en länsdel. Kortet ger rapporten som Word-fil och siffrorna som Excel- och CSV-fil.',
      ownerId: coordinator.userId,
      createdBy: coordinator.userId,
    });
    if (result.created) created++;
  }
  return created;
}

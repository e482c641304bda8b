import type { REMINDER_PROBLEMS, ReminderKind } from './reminders.schema.js';

type ReminderProblemKey = (typeof REMINDER_PROBLEMS)[number];

/** How each kind of reminder is named in Swedish, in cards and lists. */
export const reminderKindLabels: Record<ReminderKind, string> = {
  kallelse: 'Kallelse – lägg till punkter på dagordningen',
  agendaDeadline: 'Sista dag för punkter',
  finalAgenda: 'Dagordning inför mötet',
  meetingStart: 'Mötet börjar',
  minutesToApprove: 'Minnesanteckningar att godkänna',
  actionItemDue: 'Uppgift som ska vara klar',
  followUpDue: 'Uppföljning av deltagare',
  reportDue: 'Lägesrapport att lämna',
  custom: 'Påminnelse',
};

export const reminderStateLabels = {
  scheduled: 'Planerad',
  claimed: 'Skickas',
  sending: 'Skickas',
  sent: 'Skickad',
  paused: 'Pausad',
  cancelled: 'Borttagen',
  missed: 'Missad (boten var inte igång)',
  failed: 'Kunde inte skickas',
  uncertain: 'Oklart om den kom fram',
  caughtUp: 'Skickas i efterhand',
} as const;

export const reminderProblemTexts = {
  stale: 'boten är inte längre med i kanalen eller chatten. Lägg till boten igen.',
  rejected: 'Teams tog inte emot meddelandet.',
  'retries-exhausted': 'Teams svarade inte trots flera försök.',
  'crashed-while-sending':
    'boten avbröts medan den skickades (till exempel av en omstart). Den skickas inte igen, för att undvika dubbletter – kontrollera kanalen och skicka den själv om den saknas.',
  missed: 'boten var inte igång vid den tiden och det har gått för lång tid för att skicka den nu.',
  'no-clear-answer':
    'Teams gav inget tydligt svar när den skickades. Den skickas inte igen, för att undvika dubbletter – kontrollera kanalen och skicka den själv om den saknas.',
  unconfirmed:
    'Teams gav inget tydligt svar trots flera försök. Den kan ha kommit fram – kontrollera chatten.',
} as const satisfies Record<ReminderProblemKey, string>;

/** Problems after which the reminder may have arrived: the owner is told it is unclear. */
export const UNCLEAR_PROBLEMS: ReadonlySet<ReminderProblemKey> = new Set([
  'crashed-while-sending',
  'no-clear-answer',
  'unconfirmed',
]);

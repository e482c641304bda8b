import { createHash } from 'node:crypto';
import { hasRole, type Principal } from '../../access/access.schema.js';
import { forbidden, invalidInput, notFound } from '../../errors.js';
import type { AgendaItem, Occurrence } from '../meetings.schema.js';
import type { SeriesState } from './series-state.js';
import { stepsFor } from './timetable.js';

export const isCoordinator = (actor: Principal) => hasRole(actor, 'samordnare', 'admin');

export function requireCoordinator(actor: Principal, what = 'Bara samordnare kan göra det.'): void {
  if (!isCoordinator(actor)) throw forbidden(what);
}

/** The meeting a card points at; refuses a date the series has no meeting on. */
export function occurrenceOf(state: SeriesState, date: string): Occurrence {
  const occurrence = state.occurrence(date);
  if (!occurrence) throw notFound('Det finns inget möte det datumet.');
  return occurrence;
}

export function requireNotClosed(occurrence: Occurrence): void {
  if (occurrence.state === 'closed') {
    throw invalidInput('Mötet är redan avslutat. Öppna nästa möte med /möten.');
  }
  if (occurrence.state === 'cancelled') throw invalidInput('Mötet är inställt.');
}

/** New items are only taken before the meeting starts. */
export function requireOpen(occurrence: Occurrence, now: Date): void {
  requireNotClosed(occurrence);
  if (new Date(occurrence.startsAt) <= now) {
    throw invalidInput('Mötet har redan börjat. Nya punkter läggs på nästa möte.');
  }
}

export const isOpenItem = (item: AgendaItem) =>
  item.status === 'active' || item.status === 'pendingApproval';

/** The item deadline of a meeting (counted from the day it is held, also when moved). */
export function deadlineOf(state: SeriesState, occurrence: Occurrence): Date {
  return stepsFor(state.series, new Date(occurrence.startsAt)).deadline.at;
}

export function itemOf(occurrence: Occurrence, itemId: string): AgendaItem {
  const item = occurrence.items.find((i) => i.id === itemId);
  if (!item) throw notFound('Punkten finns inte längre på dagordningen.');
  return item;
}

/** May `actor` change or withdraw `item` now? Its author until the deadline, samordnare always. */
export function requireItemEditor(
  actor: Principal,
  item: AgendaItem,
  afterDeadline: boolean,
  verb: 'ändra' | 'dra tillbaka',
): void {
  const coordinator = isCoordinator(actor);
  if (!coordinator && item.authorId !== actor.userId) {
    throw forbidden(`Du kan bara ${verb} dina egna punkter.`);
  }
  if (!coordinator && afterDeadline) {
    throw invalidInput('Sista dag för punkter har passerat. Kontakta samordnaren.');
  }
}

/**
 * The id of what one person adds with one card request: everyone sees the same shared card
 * (and request id), so only one person's repeated click is the same request.
 */
export function elementIdFor(userId: string, requestId: string): string {
  return createHash('sha256').update(`${userId}\n${requestId}`).digest('base64url').slice(0, 16);
}

/** Text as stored: NFC and trimmed. */
export const clean = (text: string) => text.normalize('NFC').trim();

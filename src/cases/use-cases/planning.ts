import { invalidInput } from '../../errors.js';
import type { CaseMeetings, MeetingSlot } from '../case-ports.js';
import type { Case, CasePlan } from '../cases.schema.js';

/** How far ahead a case can be planned. */
export const PLANNING_DAYS = 400;
const SHOWN_DATES = 5;

/**
 * The upcoming meetings of a conversation, fetched once: asked for the conversation the command
 * came from while the case is read, and again only when the case belongs to another.
 */
export function upcomingOnce(meetings: CaseMeetings, hint?: string) {
  const fetched = new Map<string, Promise<MeetingSlot[]>>();
  const load = (conversationId: string) => {
    let slots = fetched.get(conversationId);
    if (!slots) {
      slots = meetings.upcoming(conversationId, PLANNING_DAYS);
      fetched.set(conversationId, slots);
    }
    return slots;
  };
  if (hint) void load(hint).catch(() => undefined);
  return load;
}

/** Where a case is to be planned: a given occurrence, the preferred series, or the next meeting. */
export function findSlot(
  upcoming: readonly MeetingSlot[],
  current: Case,
  now: Date,
  wanted: { readonly date?: string; readonly meetingId?: string } = {},
): MeetingSlot {
  const open = upcoming.filter((slot) => !slot.cancelled && slot.startsAt > now);
  if (open.length === 0) {
    throw invalidInput(
      'Det finns inga kommande möten i ärendets kanal. En samordnare skapar en mötesserie med /möte ny.',
    );
  }
  if (wanted.date) {
    // The date has been checked as a date (ÅÅÅÅ-MM-DD), so it is safe to name.
    const match = open.find(
      (slot) =>
        (slot.date === wanted.date || slot.key === wanted.date) &&
        (!wanted.meetingId || slot.meetingId === wanted.meetingId),
    );
    if (!match) {
      const dates = [...new Set(open.slice(0, SHOWN_DATES).map((slot) => slot.date))];
      throw invalidInput(
        `Det finns inget möte den ${wanted.date} i ärendets kanal. Kommande möten: ${dates.join(', ')}.`,
      );
    }
    return match;
  }
  return open.find((slot) => slot.meetingId === current.preferredMeetingId) ?? open[0]!;
}

export function planFor(slot: MeetingSlot, time?: string): CasePlan {
  if (time && !slot.takesSlots) {
    throw invalidInput('En tid (TT:MM) anges bara när ärendet dras på ett samråd.');
  }
  return {
    meetingId: slot.meetingId,
    date: slot.key,
    meetingName: slot.meetingName,
    startsAt: slot.startsAt.toISOString(),
    endsAt: slot.endsAt.toISOString(),
    ...(time ? { slot: time } : {}),
  };
}

/** How far ahead the submission form offers meetings. */
export const FORM_DAYS = 120;

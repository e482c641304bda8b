import type { CaseMeetings, HeldMeeting } from '../case-ports.js';
import type { Case } from '../cases.schema.js';

/** Who was at the meeting a case is planned for, as the decision card shows it. */
export interface Attendance {
  readonly recorded: boolean;
  readonly present: readonly string[];
  readonly referrerPresent: boolean;
}

export const NO_ATTENDANCE: Attendance = { recorded: false, present: [], referrerPresent: false };

export interface MeetingRef {
  readonly conversationId: string;
  readonly meetingId: string;
  readonly date: string;
}

const sameRef = (a: MeetingRef, b: MeetingRef) =>
  a.conversationId === b.conversationId && a.meetingId === b.meetingId && a.date === b.date;

/**
 * Reads who is present at the case's planned meeting. A guess of the meeting (from the card
 * that was clicked) is read while the case is read; it is used when the case still points there.
 */
export function attendanceReader(meetings: CaseMeetings, guess?: MeetingRef) {
  const guessed = guess ? meetings.occurrence(guess) : undefined;
  void guessed?.catch(() => undefined);
  return async (value: Case): Promise<Attendance> => {
    if (!value.plan) return NO_ATTENDANCE;
    const ref = {
      conversationId: value.conversationId,
      meetingId: value.plan.meetingId,
      date: value.plan.date,
    };
    const held: HeldMeeting | undefined =
      guess && guessed && sameRef(guess, ref) ? await guessed : await meetings.occurrence(ref);
    if (!held) return NO_ATTENDANCE;
    const present = [...(held.attendance ?? [])].sort();
    return {
      recorded: held.attendance !== undefined,
      present,
      referrerPresent: present.includes(value.organisationId),
    };
  };
}

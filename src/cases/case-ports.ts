import type { Role } from '../access/access.schema.js';
import type { CaseStore } from './case-store.js';

/** An upcoming meeting occurrence a case can be planned for. */
export interface MeetingSlot {
  readonly meetingId: string;
  readonly meetingName: string;
  /** Samråd: each case is given a time slot. */
  readonly takesSlots: boolean;
  /** The occurrence's stable key (the date its rule gave, also when it was moved). */
  readonly key: string;
  /** The date it is held. */
  readonly date: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly cancelled: boolean;
}

/** What a case needs to know about the occurrence it is planned for. */
export interface HeldMeeting {
  readonly endsAt: Date;
  /** Started or closed: it is no longer only planned. */
  readonly started: boolean;
  /** The organisations recorded as present; absent until attendance is taken. */
  readonly attendance?: readonly string[];
}

/**
 * The meetings a case can be planned for: the only thing cases ask of the meetings capability,
 * adapted to it where the bot is wired.
 */
export interface CaseMeetings {
  /** Occurrences that have not ended, in the conversation's series, soonest first. */
  upcoming(conversationId: string, days: number): Promise<MeetingSlot[]>;
  /** One occurrence as stored; undefined when it does not exist (any more). */
  occurrence(ref: {
    readonly conversationId: string;
    readonly meetingId: string;
    readonly date: string;
  }): Promise<HeldMeeting | undefined>;
}

/** Who can help when someone lacks a role: names of the people who have it. */
export interface CasePeople {
  namesWithRole(role: Role): Promise<string[]>;
}

/** Everything the case use cases need. */
export interface CaseDeps {
  readonly store: CaseStore;
  readonly meetings: CaseMeetings;
  readonly people: CasePeople;
  readonly now: () => Date;
}

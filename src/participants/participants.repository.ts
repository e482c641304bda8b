import type { LocalDate } from '../schedule/local-time.js';
import type { Versioned } from '../versioned.js';
import type { Participant, ParticipantEvent } from './participants.schema.js';

export interface ParticipantRepository {
  /** The next number of a year's code series; a conditional write, so no number is given twice. */
  nextNumber(year: number): Promise<number>;
  /**
   * Ties an enrolment request to the code it got. Returns the code the request is tied to: `code`
   * when this call won, or the code an earlier delivery of the same request already took.
   */
  claimRequest(requestId: string, code: string): Promise<string>;
  codeOfRequest(requestId: string): Promise<string | undefined>;
  get(code: string): Promise<Versioned<Participant> | undefined>;
  /** Fails with `already-exists` when the code is taken. */
  create(participant: Participant): Promise<Versioned<Participant>>;
  replace(participant: Participant, version: string): Promise<Versioned<Participant>>;
  /** Append-only; false when an event with this id was already there (a repeated click). */
  appendEvent(participant: Participant, event: ParticipantEvent): Promise<boolean>;
  events(participant: Participant): Promise<ParticipantEvent[]>;
  listForCoach(coachIds: readonly string[]): Promise<Participant[]>;
  /** One länsdel's participants: a single partition read (the lägesrapport's input). */
  listLansdel(lansdelId: string): Promise<Participant[]>;
}

/** What a retention (gallring) source for participants needs from storage. */
export interface ParticipantRetentionStore {
  /** Participants who ended (avbrott, avslutad) before the cutoff date. */
  listEndedBefore(cutoff: LocalDate): Promise<Participant[]>;
  /** Removes a participant, their history, their code index and their enrolment request. */
  remove(code: string): Promise<void>;
}

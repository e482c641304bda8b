import type { AuditEntry } from '../audit/audit.schema.js';
import type { LocalDate } from '../schedule/local-time.js';
import type { Versioned } from '../versioned.js';
import type { Participant, ParticipantEvent, Step } from './participants.schema.js';

/** A step the lägesrapport needs (see `outcomeSteps`), kept beside the header. */
export interface OutcomeRow {
  readonly step: Step;
  readonly on: LocalDate;
  readonly seq: number;
}

/** What one change to a participant writes, all in one transaction. */
export interface ParticipantChange {
  /** The header after the change. */
  readonly participant: Participant;
  /** The header's version as read (absent for an enrolment, which creates it). */
  readonly version?: string;
  /** The history rows the change adds (an enrolment may bring its earlier steps along). */
  readonly events: readonly ParticipantEvent[];
  readonly outcomes: readonly OutcomeRow[];
  readonly audit: readonly AuditEntry[];
  /** The request the change answers (a card's request id, a message id): a repeat writes nothing. */
  readonly requestKey: string;
}

export type ChangeOutcome =
  | { readonly kind: 'committed'; readonly version: string }
  /** The same request was already recorded; nothing was written now. */
  | { readonly kind: 'repeated' };

/** A page of a participant's history, newest first. */
export interface TimelinePage {
  readonly events: readonly ParticipantEvent[];
  /** Where the next (older) page starts; absent on the last page. */
  readonly next?: string;
}

export interface ParticipantRepository {
  /** Hands out `count` numbers of a year's code series at once; returns the first. */
  reserveNumbers(year: number, count: number): Promise<number>;
  /**
   * Ties an enrolment request to the code it got. Returns the code the request is tied to: `code`
   * when this call won, or the code an earlier delivery of the same request already took.
   */
  claimRequest(requestId: string, code: string, lansdelId: string): Promise<string>;
  codeOfRequest(requestId: string): Promise<string | undefined>;
  /** Every imported row's request id with the code it got (one read). */
  importedRequests(): Promise<Map<string, string>>;
  get(code: string): Promise<Versioned<Participant> | undefined>;
  /** The newest history rows first, `limit` at a time, from `after` (a page's `next`). */
  timeline(participant: Participant, limit: number, after?: string): Promise<TimelinePage>;
  /** The whole history, oldest first (registerutdrag, a back-dated step). */
  history(participant: Participant): Promise<ParticipantEvent[]>;
  /** The outcome rows already stored for a participant. */
  outcomeRows(participant: Participant): Promise<OutcomeRow[]>;
  /** Writes an enrolment or a recorded event with its audit entries and request marker. */
  commit(change: ParticipantChange): Promise<ChangeOutcome>;
  listForCoach(coachIds: readonly string[]): Promise<Participant[]>;
  /** One länsdel's participants (headers only). */
  listLansdel(lansdelId: string): Promise<Participant[]>;
}

/** What a retention (gallring) source for participants needs from storage. */
export interface ParticipantRetentionStore {
  /** Participants who ended (avbrott, avslutad) before the cutoff date. */
  listEndedBefore(cutoff: LocalDate): Promise<Participant[]>;
  /** The audit entries written with the participant's changes. */
  auditOf(participant: Participant): Promise<AuditEntry[]>;
  /** Removes a participant: header, history, outcome rows, their audit rows, code index, request. */
  remove(code: string): Promise<void>;
}

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

/** How many history rows one page of the participant card shows (and the stored first page holds). */
export const TIMELINE_PAGE = 20;

/** What one change to a participant writes, all in one transaction. */
export interface ParticipantChange {
  /** The header after the change. */
  readonly participant: Participant;
  /** The header's version as read (absent for an enrolment, which creates it). */
  readonly version?: string;
  /** The history rows the change adds (an enrolment may bring its earlier steps along). */
  readonly events: readonly ParticipantEvent[];
  /**
   * The first page of the history after the change, kept beside the header so the next card
   * and change read it in one point read. Without it a change that adds history to a stored
   * participant leaves the kept page behind (the next read then goes to the history rows); an
   * enrolment's page is made from its `events`.
   */
  readonly firstPage?: TimelinePage;
  readonly outcomes: readonly OutcomeRow[];
  readonly audit: readonly AuditEntry[];
  /** The request the change answers (a card's request id, a message id): a repeat writes nothing. */
  readonly requestKey: string;
}

export type ChangeOutcome =
  | { readonly kind: 'committed'; readonly version: string }
  /** The same request was already recorded; nothing was written now. */
  | { readonly kind: 'repeated' };

/** A stored participant with, when asked for and current, the first page of its history. */
export interface StoredParticipant extends Versioned<Participant> {
  readonly firstPage?: TimelinePage;
}

/** A page of a participant's history, newest first. */
export interface TimelinePage {
  readonly events: readonly ParticipantEvent[];
  /** Where the next (older) page starts; absent on the last page. */
  readonly next?: string;
}

/** An enrolment waiting for its code: what to write once the year's next number is known. */
export interface EnrolmentIntent {
  readonly requestId: string;
  readonly lansdelId: string;
  /** The change that writes the participant under `code` (its header has no version). */
  build(code: string): ParticipantChange;
}

export interface Reservation {
  readonly requestId: string;
  readonly code: string;
  /** False when the request already had this code (a repeat); true when this call took it. */
  readonly fresh: boolean;
}

export type FinishOutcome =
  /** This call wrote the participant. */
  | { readonly kind: 'written'; readonly participant: Participant }
  /** The participant was already stored (by the first attempt, or by someone finishing it). */
  | { readonly kind: 'present' }
  /** No reservation waits under this code. */
  | { readonly kind: 'none' };

export interface ParticipantRepository {
  /**
   * Gives each request the next number of the year's code series. One transaction per batch
   * advances the counter and writes, per number, a reservation holding the whole change (so
   * anyone can finish it when its own writer stops half-way), the request's index row and the
   * code's index row: a number is never taken without what it is for. A request that already
   * has a code keeps it. `onReserved` hears each batch as it lands, so a caller cut off half
   * way knows what was taken before.
   */
  reserve(
    year: number,
    intents: readonly EnrolmentIntent[],
    onReserved?: (batch: readonly Reservation[]) => void,
  ): Promise<Reservation[]>;
  /** Writes the participant a reservation holds, once; the reservation is then removed. */
  finish(code: string): Promise<FinishOutcome>;
  /**
   * Finishes every reservation made before `before` whose writer never wrote it (a crash or an
   * outage between the two transactions); answers the participants written now.
   */
  finishPending(before: Date): Promise<Participant[]>;
  /** The code a request has, reserved or written. */
  codeOfRequest(requestId: string): Promise<string | undefined>;
  /** Every imported row's request id with the code it got (one read). */
  importedRequests(): Promise<Map<string, string>>;
  /**
   * A participant's header. `lansdelHint` is the länsdel a card the bot rendered names: looked
   * in first (one point read), never trusted (the code's own index decides when it is not there).
   * With `firstPage`, the kept first page of the history ({@link TIMELINE_PAGE} rows) is read
   * alongside and answered when it belongs to this very header; otherwise it is left out (read
   * it with `timeline`).
   */
  get(
    code: string,
    lansdelHint?: string,
    options?: { readonly firstPage?: boolean },
  ): Promise<StoredParticipant | undefined>;
  /** The newest history rows first, `limit` at a time, from `after` (a page's `next`). */
  timeline(
    participant: Pick<Participant, 'code' | 'lansdelId'>,
    limit: number,
    after?: string,
  ): Promise<TimelinePage>;
  /** The first page as it reads once `events` are stored too (no read: the key order applied). */
  pageWith(page: TimelinePage, events: readonly ParticipantEvent[], limit: number): TimelinePage;
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
  /**
   * The audit entries kept beside participants that were written before `cutoff`: counted, or
   * removed when `remove`. Answers how many.
   */
  oldAuditRows(cutoff: Date, remove: boolean): Promise<number>;
  /** The request markers (they only recognise re-deliveries) written before `cutoff`, likewise. */
  oldMarkers(cutoff: Date, remove: boolean): Promise<number>;
}

import type { AuditEntry } from '../audit/audit.schema.js';
import type {
  Case,
  CaseDecision,
  CaseEvent,
  CaseOutcome,
  CaseStatistic,
  CaseSummary,
} from './cases.schema.js';

/** A case as read: its head, its decisions (oldest first) and the version the head was read at. */
export interface CaseSnapshot {
  readonly value: Case;
  readonly version: string;
  readonly decisions: readonly CaseDecision[];
}

/** A new case, before it has a code: the store hands out the next code of the year. */
export interface NewCaseRecord {
  readonly value: Omit<Case, 'code' | 'revision' | 'historyCount' | 'decisionCount'>;
  readonly event: CaseEvent;
  readonly audit: (code: string) => AuditEntry;
}

/**
 * One change of one case, written as one transaction with its audit entries and its
 * idempotency marker. `next` is the new head; storage keeps `revision`, the counts and
 * `lastChange` itself.
 */
export interface CaseChange {
  readonly next: Case;
  readonly events: readonly CaseEvent[];
  readonly decision?: CaseDecision;
  readonly audit: readonly AuditEntry[];
  /** The request that makes the change: a card's request id or a message's activity id. */
  readonly key: string;
}

export type Written =
  /** The change is stored now (also when a lost answer was confirmed through its marker). */
  | { readonly kind: 'committed'; readonly snapshot: CaseSnapshot }
  /** The same request was already stored earlier: nothing was written now. */
  | { readonly kind: 'repeated'; readonly snapshot: CaseSnapshot };

/** A closed case waiting for gallring, with what its anonymous statistic needs. */
export interface ClosedCase {
  readonly code: string;
  readonly organisationId: string;
  readonly outcome: CaseOutcome | 'ingetBeslut';
  readonly closedAt: string;
}

/** One page of a case's audit log, newest first; pass an entry's `cursor` as `after` to go on. */
export interface LogPage {
  readonly entries: readonly (AuditEntry & { readonly cursor: string })[];
  /** Whether older entries follow. */
  readonly more: boolean;
}

/**
 * Where cases live. Each case is one aggregate (head, history, decisions, audit log,
 * idempotency markers) whose every change is one transaction.
 * @remarks Codes are handed out in the same transaction as the case that uses them, so a code
 * is never skipped or given twice. The open queue is kept beside the cases in the same
 * transactions, so it is never out of step with them.
 */
export interface CaseStore {
  /** The case with its decisions; undefined when no case has the code. */
  get(code: string): Promise<CaseSnapshot | undefined>;
  /**
   * At most `limit` history entries with sequence numbers below `before`, newest first (the
   * newest page: `before` = `historyCount + 1`).
   */
  history(code: string, page: { before: number; limit: number }): Promise<HistoryPage>;
  /** The case's audit log, newest first, `limit` at a time. */
  log(code: string, page: { after?: string; limit: number }): Promise<LogPage>;
  /** Stores a new case under the next code of `year`; a repeated `key` returns the first. */
  create(year: number, record: NewCaseRecord, key: string): Promise<Written>;
  /** Fails with `conflict` when the case changed since `current` was read. */
  change(current: CaseSnapshot, change: CaseChange): Promise<Written>;
  /** Audit entries that change nothing (views, log reads); a repeated `key` writes nothing. */
  record(code: string, entries: readonly AuditEntry[], key: string): Promise<void>;
  /** The open cases of a conversation (every conversation when absent). */
  open(conversationId?: string): Promise<CaseSummary[]>;
  /** Closed cases whose month of closing is before `beforeMonth` (`yyyy-MM`). */
  closedBefore(beforeMonth: string): Promise<ClosedCase[]>;
  /**
   * Leaves an anonymous statistic and removes every row of the case. Safe to repeat: the
   * statistic is counted once per case.
   */
  reduce(code: string, statistic: CaseStatistic): Promise<void>;
  statistics(): Promise<CaseStatistic[]>;
}

export interface HistoryPage {
  /** Newest first. */
  readonly entries: readonly (CaseEvent & { readonly seq: number })[];
  /** Pass as `before` for the next (older) page; absent on the oldest page. */
  readonly before?: number;
}

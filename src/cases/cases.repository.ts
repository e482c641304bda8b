import type { Versioned } from '../versioned.js';
import type { Case, CaseStatistic } from './cases.schema.js';

export interface OpenCases {
  readonly cases: Versioned<Case>[];
  /** How many stored rows the query touched; closed cases never count. */
  readonly rowsRead: number;
}

export interface CaseRepository {
  /** Issues the next code of the year; two callers never get the same one. */
  issueCode(year: number): Promise<string>;
  /** The code already issued for a card's request id, if any. */
  codeForRequest(requestId: string): Promise<string | undefined>;
  /** Binds a request id to a code; fails with `already-exists` when another delivery won. */
  bindRequest(requestId: string, code: string): Promise<void>;
  get(code: string): Promise<Versioned<Case> | undefined>;
  /** Fails with `already-exists` when the code is taken. */
  create(value: Case): Promise<Versioned<Case>>;
  /** Fails with `conflict` when the case changed since `version` was read. */
  replace(value: Case, version: string): Promise<Versioned<Case>>;
  /** The open cases of one conversation: a narrow read that never touches closed cases. */
  listOpen(conversationId: string): Promise<OpenCases>;
  /** The conversations that have open cases. */
  conversationsWithOpenCases(): Promise<string[]>;
  /** Closed cases whose month of closing is before `beforeMonth` (`yyyy-MM`). */
  listClosedBefore(beforeMonth: string): Promise<Versioned<Case>[]>;
  /**
   * Leaves an anonymous statistic and removes the case with its index rows. Safe to repeat:
   * the statistic is counted once per case.
   */
  reduce(value: Case, version: string, statistic: CaseStatistic): Promise<void>;
  statistics(): Promise<CaseStatistic[]>;
}

import type { AuditEntry } from '../audit/audit.schema.js';

/** What one kind of data would lose, or lost, in a gallring run. Counts only, never contents. */
export interface RetentionCounts {
  /** Rows removed outright. */
  readonly removed: number;
  /** Rows reduced to anonymous statistics (organisation, outcome, month). */
  readonly anonymised: number;
}

/**
 * One kind of data the förbund keeps for a limited time (closed cases, audit entries, and
 * later participant records). A source only knows how to find and remove what is older than a
 * cutoff; the period comes from configuration.
 */
export interface RetentionSource {
  /** The configuration key of the period, e.g. `closedCases`. */
  readonly kind: string;
  /** Swedish, for the `/gallring` card. */
  readonly label: string;
  preview(cutoff: Date): Promise<RetentionCounts>;
  purge(cutoff: Date): Promise<RetentionCounts>;
}

/**
 * Everything stored under one pseudonymous code (a case or a participant), for registerutdrag
 * and erasure on request.
 */
export interface RegisterSource {
  /** The audit subject type of the codes, e.g. `case` or `participant`. */
  readonly subjectType: string;
  /** Whether the code is one of this source's, e.g. `Ä-2026-0042`. */
  owns(code: string): boolean;
  /** A typed code read leniently (`ä-2026-42`) as this source writes it; undefined if not one. */
  readCode(word: string): string | undefined;
  extract(code: string): Promise<Record<string, unknown> | undefined>;
  /**
   * The audit trail of the code, oldest first, when the source keeps it itself (a case keeps its
   * log beside it); otherwise the shared audit log is read.
   */
  auditTrail?(code: string): Promise<AuditEntry[]>;
  /** Writes an audit entry about the code where its trail is kept; `key` makes it idempotent. */
  recordAudit?(code: string, entry: AuditEntry, key: string): Promise<void>;
  /** Erases the code, keeping anonymous statistics; `refused` explains in Swedish why not. */
  erase(code: string): Promise<{ erased: true } | { erased: false; refused: string }>;
}

/**
 * Run-once claims: one daily run per förbund (the first instance to claim the day runs it) and
 * one run per card click (a re-delivered invoke finds its claim taken).
 */
export interface RetentionLeases {
  /** True when this caller claimed `key`; false when someone already had. */
  claim(key: string, instanceId: string): Promise<boolean>;
}

/** The retention period per kind of data, in days, keyed by {@link RetentionSource.kind}. */
export type RetentionPeriods = Readonly<Record<string, number>>;

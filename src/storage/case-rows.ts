import { createHash } from 'node:crypto';
import { z } from 'zod';
import { auditEntrySchema, type AuditEntry } from '../audit/audit.schema.js';
import {
  CASE_CODE_PATTERN,
  caseDecisionSchema,
  caseEventSchema,
  caseOutcomeSchema,
  caseSchema,
  caseSummarySchema,
  type Case,
  type CaseDecision,
  type CaseEvent,
  type CaseSummary,
} from '../cases/cases.schema.js';
import { changeKeyOf } from '../cases/case-change.js';
import type { RowKind } from './aggregate-table.js';

/**
 * The rows of the `cases` table. One partition per year (`A-2026`) holds the year's code counter,
 * every case of that year and the year's part of the open queue, so a case, the code it uses
 * and its place in the queue change in one entity-group transaction.
 *
 * Row keys (`<kind prefix>|<id>`):
 * - `n|last` the counter of the year's codes;
 * - `c000042a|head` the head of case 42, `c000042b|000001` its decisions, `c000042e|000001` its
 *   history, `c000042l|<inverted time>|<random>` its audit log (newest first): all rows of one
 *   case share the prefix `c000042`, so the case is one key range;
 * - `o|<conversation hash>|000042|<revision>` the case's line in its conversation's open queue,
 *   replaced (deleted and created under the next revision) in every change of an open case;
 * - `z|<yyyy-MM>|000042` a closed case waiting for gallring;
 * - `req|…` the idempotency markers of the aggregate table.
 */
export const yearPartition = (year: number) => `A-${year}`;

export const pad6 = (n: number) => String(n).padStart(6, '0');

/** `Ä-2026-0042` → year 2026, number 42. */
export function codeParts(code: string): { year: number; number: number } {
  const match = CASE_CODE_PATTERN.exec(code);
  if (!match) throw new Error('Not a case code');
  return { year: Number(match[1]), number: Number(match[2]) };
}

export const codeOf = (year: number, number: number) =>
  `Ä-${year}-${String(number).padStart(4, '0')}`;

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** Conversation ids are long and not ours: queue rows are keyed by a hash of them. */
export const conversationKey = (conversationId: string) => sha(conversationId).slice(0, 32);

/** The hashed form of a request key kept in `lastChange`. */
export const changeKey = changeKeyOf;

const MAX_MS = 9_999_999_999_999;
/** A log row id that sorts newest first. */
export const logRowId = (at: string, random: string) =>
  `${String(MAX_MS - Date.parse(at)).padStart(13, '0')}|${random}`;

export const openRowId = (conversationId: string, number: number, revision: number) =>
  `${conversationKey(conversationId)}|${pad6(number)}|${pad6(revision)}`;

export const closedRowId = (closedAt: string, number: number) =>
  `${closedAt.slice(0, 7)}|${pad6(number)}`;

export const HEAD = 'head';
export const COUNTER = 'last';

export const counterSchema = z.object({ year: z.number().int(), last: z.number().int().min(0) });

export const closedRowSchema = z.object({
  code: z.string().regex(CASE_CODE_PATTERN),
  organisationId: z.string().min(1).max(60),
  outcome: z.union([caseOutcomeSchema, z.literal('ingetBeslut')]),
  closedAt: z.iso.datetime(),
});

const kind = <T>(value: RowKind<T>): RowKind<T> => value;

/** The prefix every row of case `number` starts with. */
export const casePrefix = (number: number) => `c${pad6(number)}`;

/**
 * The row kinds of a year partition as seen from case `number` (0 when no case is involved):
 * the year's rows plus the rows of that one case.
 */
export function caseKinds(number: number) {
  const prefix = casePrefix(number);
  return {
    counter: kind<z.infer<typeof counterSchema>>({
      prefix: 'n',
      schema: counterSchema,
      version: 1,
    }),
    open: kind<CaseSummary>({
      prefix: 'o',
      schema: caseSummarySchema,
      version: 1,
      json: ['plan', 'queue'],
    }),
    closed: kind<z.infer<typeof closedRowSchema>>({
      prefix: 'z',
      schema: closedRowSchema,
      version: 1,
    }),
    header: kind<Case>({
      prefix: `${prefix}a`,
      schema: caseSchema,
      version: 1,
      json: ['plan', 'queue'],
    }),
    decision: kind<CaseDecision>({
      prefix: `${prefix}b`,
      schema: caseDecisionSchema,
      version: 1,
      json: ['present'],
    }),
    event: kind<CaseEvent>({ prefix: `${prefix}e`, schema: caseEventSchema, version: 1 }),
    log: kind<AuditEntry>({
      prefix: `${prefix}l`,
      schema: auditEntrySchema,
      version: 1,
      json: ['details'],
    }),
  };
}
export type CaseKinds = ReturnType<typeof caseKinds>;

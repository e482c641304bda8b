import { z } from 'zod';
import { invalidInput } from '../errors.js';
import { localDateSchema, localTimeSchema } from '../schedule/schedule.schema.js';

/**
 * The life cycle of an ärende. `aterremitterad` (återremitterad) and `iko` (i kö) are kept ASCII
 * because they are stored; the UI uses {@link caseStatusLabels}.
 */
export const CASE_STATUSES = [
  'inkommen',
  'planerad',
  'dragen',
  'beslut',
  'aterremitterad',
  'iko',
  'avslutad',
] as const;
export const caseStatusSchema = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof caseStatusSchema>;

export const caseStatusLabels: Record<CaseStatus, string> = {
  inkommen: 'Inkommen',
  planerad: 'Planerad',
  dragen: 'Dragen',
  beslut: 'Beslut',
  aterremitterad: 'Återremitterad',
  iko: 'I kö',
  avslutad: 'Avslutad',
};

/** What the referring organisation asks for. */
export const CASE_REQUESTS = ['insats', 'arbetstraning', 'annanInsats'] as const;
export const caseRequestSchema = z.enum(CASE_REQUESTS);
export type CaseRequest = z.infer<typeof caseRequestSchema>;
export const caseRequestLabels: Record<CaseRequest, string> = {
  insats: 'Insats',
  arbetstraning: 'Arbetsträning',
  annanInsats: 'Annan insats',
};

export const CASE_URGENCIES = ['normal', 'skyndsam'] as const;
export const caseUrgencySchema = z.enum(CASE_URGENCIES);
export type CaseUrgency = z.infer<typeof caseUrgencySchema>;
export const caseUrgencyLabels: Record<CaseUrgency, string> = {
  normal: 'Normal',
  skyndsam: 'Skyndsam',
};

export const CASE_OUTCOMES = ['beviljas', 'ko', 'annanInsats', 'aterremiss', 'avslag'] as const;
export const caseOutcomeSchema = z.enum(CASE_OUTCOMES);
export type CaseOutcome = z.infer<typeof caseOutcomeSchema>;
export const caseOutcomeLabels: Record<CaseOutcome, string> = {
  beviljas: 'Beviljas insats',
  ko: 'Kö',
  annanInsats: 'Annan insats',
  aterremiss: 'Återremiss',
  avslag: 'Avslag',
};

/** `Ä-2026-0042`: the pseudonymous code people see. */
export const CASE_CODE_PATTERN = /^Ä-(\d{4})-(\d{4,6})$/;
export const caseCodeSchema = z.string().regex(CASE_CODE_PATTERN);

/** The longest texts the forms allow; the storage budget of a case is planned for them. */
export const CASE_LIMITS = { reason: 1000, insats: 80, motivation: 500 } as const;

const userId = z.string().min(1).max(200);
const organisationId = z.string().min(1).max(60);
const insatsName = z.string().min(1).max(CASE_LIMITS.insats);

/** The meeting occurrence a case is planned for; `slot` is a samråd time. */
export const casePlanSchema = z.object({
  meetingId: z.string().min(1).max(80),
  date: localDateSchema,
  meetingName: z.string().max(120),
  startsAt: z.iso.datetime(),
  /** When the occurrence ends; absent on plans made before it was recorded. */
  endsAt: z.iso.datetime().optional(),
  slot: localTimeSchema.optional(),
});
export type CasePlan = z.infer<typeof casePlanSchema>;

/** Append-only: a later decision (after återremiss) is a new entry, never an edit. */
export const caseDecisionSchema = z.object({
  /** Derived from the card's request id, so a repeated click is recognised. */
  id: z.string().min(1).max(80),
  outcome: caseOutcomeSchema,
  /** For `annanInsats` which one, for `beviljas` and `ko` the insats. */
  insats: z.string().max(CASE_LIMITS.insats).optional(),
  motivation: z.string().min(1).max(CASE_LIMITS.motivation),
  decidedBy: userId,
  decidedByName: z.string().max(120),
  at: z.iso.datetime(),
  meetingId: z.string().max(80).optional(),
  date: localDateSchema.optional(),
  /** Organisations present when it was decided, and whether the referring one was among them. */
  present: z.array(organisationId).max(40),
  referrerPresent: z.boolean(),
});
export type CaseDecision = z.infer<typeof caseDecisionSchema>;

export const CASE_EVENT_NOTES = [
  'submitted',
  'planned',
  'moved',
  'carriedOver',
  'presented',
  'decided',
  'closed',
  'queued',
] as const;

/** One step of the case's history: what changed, never free text. */
export const caseEventSchema = z.object({
  at: z.iso.datetime(),
  by: userId,
  from: caseStatusSchema.optional(),
  to: caseStatusSchema,
  /** A fixed note the UI turns into Swedish, e.g. `carriedOver`, with a date. */
  note: z.enum(CASE_EVENT_NOTES),
  date: localDateSchema.optional(),
});
export type CaseEvent = z.infer<typeof caseEventSchema>;

/** Waiting list: the insats and when the case joined it (positions follow from this). */
export const caseQueueSchema = z.object({ insats: insatsName, since: z.iso.datetime() });

/**
 * The head of one ärende: everything but its history, decisions and audit log, which are rows
 * of their own beside it. `revision`, `historyCount` and `decisionCount` are kept by storage;
 * `lastChange` names (hashed) the request of the latest change, so a change whose answer was
 * lost is recognised when it is read again.
 */
export const caseSchema = z.object({
  code: caseCodeSchema,
  conversationId: z.string().min(1).max(1000),
  organisationId,
  submittedBy: userId,
  submittedAt: z.iso.datetime(),
  requestId: z.string().min(8).max(100),
  reason: z.string().min(1).max(CASE_LIMITS.reason),
  request: caseRequestSchema,
  insats: insatsName.optional(),
  urgency: caseUrgencySchema,
  preferredMeetingId: z.string().max(80).optional(),
  consent: z.literal(true),
  status: caseStatusSchema,
  plan: casePlanSchema.optional(),
  /** The occurrence date the case was last carried over from. */
  carriedOverFrom: localDateSchema.optional(),
  queue: caseQueueSchema.optional(),
  participantCode: z.string().max(40).optional(),
  closedAt: z.iso.datetime().optional(),
  updatedAt: z.iso.datetime(),
  revision: z.number().int().min(1),
  historyCount: z.number().int().min(0),
  decisionCount: z.number().int().min(0),
  lastChange: z.string().max(80).optional(),
});
export type Case = z.infer<typeof caseSchema>;

/**
 * What the open queue shows of a case, kept beside the case and rewritten in the same
 * transaction as every change: code, status, organisation, meeting. Never the reason.
 */
export const caseSummarySchema = caseSchema.pick({
  code: true,
  conversationId: true,
  organisationId: true,
  status: true,
  urgency: true,
  plan: true,
  carriedOverFrom: true,
  queue: true,
  revision: true,
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const summaryOf = (value: Case): CaseSummary => caseSummarySchema.parse(value);

/** An anonymous statistic left behind when a closed case is gallrad or erased. */
export const caseStatisticSchema = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  organisationId,
  outcome: z.union([caseOutcomeSchema, z.literal('ingetBeslut')]),
});
export type CaseStatistic = z.infer<typeof caseStatisticSchema>;

/** Card verbs of this capability. */
export const CASE_VERBS = [
  'cases.new',
  'cases.submit',
  'cases.list',
  'cases.waiting',
  'cases.show',
  'cases.view',
  'cases.history',
  'cases.log',
  'cases.plan',
  'cases.chooseMeeting',
  'cases.move',
  'cases.present',
  'cases.decision',
  'cases.decide',
  'cases.close',
] as const;
export type CaseVerb = (typeof CASE_VERBS)[number];

/** How a case code is written, for messages that say so. */
export const CODE_FORM = 'Ä-ÅÅÅÅ-NNNN';

/** Reads a typed case code leniently (`ä-2026-42`, `A-2026-0042`); refuses anything else without quoting it. */
export function parseCaseCode(word: string | undefined, usage: string): string {
  if (!word) throw invalidInput(`Skriv ärendets kod, till exempel: ${usage}`);
  const match = /^[äa]-(\d{4})-(\d{1,6})$/iu.exec(word.normalize('NFC'));
  if (!match) {
    throw invalidInput(
      `Det där är ingen ärendekod. Ärendekoder skrivs ${CODE_FORM}, till exempel: ${usage}`,
    );
  }
  return `Ä-${match[1]}-${match[2]!.padStart(4, '0')}`;
}

import { z } from 'zod';
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

const userId = z.string().min(1).max(200);
const organisationId = z.string().min(1).max(60);
const insatsName = z.string().min(1).max(80);

/** The meeting occurrence a case is planned for; `slot` is a samråd time. */
export const casePlanSchema = z.object({
  meetingId: z.string().min(1).max(80),
  date: localDateSchema,
  meetingName: z.string().max(120),
  startsAt: z.iso.datetime(),
  slot: localTimeSchema.optional(),
});
export type CasePlan = z.infer<typeof casePlanSchema>;

/** Append-only: a later decision (after återremiss) is a new entry, never an edit. */
export const caseDecisionSchema = z.object({
  id: z.string().min(1).max(80),
  outcome: caseOutcomeSchema,
  /** For `annanInsats` which one, for `beviljas` and `ko` the insats. */
  insats: z.string().max(80).optional(),
  motivation: z.string().min(1).max(500),
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

/** One step of the case's history: what changed, never free text. */
export const caseEventSchema = z.object({
  at: z.iso.datetime(),
  by: userId,
  from: caseStatusSchema.optional(),
  to: caseStatusSchema,
  /** A fixed note the UI turns into Swedish, e.g. `carriedOver`, with a date. */
  note: z.enum([
    'submitted',
    'planned',
    'moved',
    'carriedOver',
    'presented',
    'decided',
    'closed',
    'queued',
  ]),
  date: localDateSchema.optional(),
});
export type CaseEvent = z.infer<typeof caseEventSchema>;

/**
 * One ärende. The whole case (status, plan, decisions, history) is one row, so each change is a
 * single conditional write: two samordnare deciding at once cannot both win.
 */
export const caseSchema = z.object({
  code: caseCodeSchema,
  conversationId: z.string().min(1).max(1000),
  organisationId,
  submittedBy: userId,
  submittedAt: z.iso.datetime(),
  requestId: z.string().min(8).max(100),
  reason: z.string().min(1).max(1000),
  request: caseRequestSchema,
  insats: insatsName.optional(),
  urgency: caseUrgencySchema,
  preferredMeetingId: z.string().max(80).optional(),
  consent: z.literal(true),
  status: caseStatusSchema,
  plan: casePlanSchema.optional(),
  /** The occurrence date the case was last carried over from. */
  carriedOverFrom: localDateSchema.optional(),
  /** Waiting list: the insats and when the case joined it (positions follow from this). */
  queue: z.object({ insats: insatsName, since: z.iso.datetime() }).optional(),
  decisions: z.array(caseDecisionSchema).max(20),
  history: z.array(caseEventSchema).max(100),
  participantCode: z.string().max(40).optional(),
  closedAt: z.iso.datetime().optional(),
  updatedAt: z.iso.datetime(),
});
export type Case = z.infer<typeof caseSchema>;

/** The per-year counter behind case codes. */
export const caseCounterSchema = z.object({
  year: z.number().int(),
  last: z.number().int().min(0),
});
export type CaseCounter = z.infer<typeof caseCounterSchema>;

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
  'cases.plan',
  'cases.present',
  'cases.decide',
  'cases.close',
] as const;
export type CaseVerb = (typeof CASE_VERBS)[number];

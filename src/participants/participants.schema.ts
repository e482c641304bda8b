import { z } from 'zod';
import { localDateSchema } from '../schedule/schedule.schema.js';

export const GENDERS = ['kvinna', 'man', 'annat'] as const;
export const genderSchema = z.enum(GENDERS);
export type Gender = z.infer<typeof genderSchema>;

export const genderLabels: Record<Gender, string> = {
  kvinna: 'Kvinna',
  man: 'Man',
  annat: 'Annat/ej angivet',
};

/**
 * Disjoint age bands at enrolment. The lägesrapport's "30 och över" is `30-49` plus `50+`, and
 * its "50 och över" is `50+`; the report shows both the bands and those two sums.
 */
export const AGE_GROUPS = ['under30', '30-49', '50+'] as const;
export const ageGroupSchema = z.enum(AGE_GROUPS);
export type AgeGroup = z.infer<typeof ageGroupSchema>;

export const REFERRALS = [
  'ekonomisktBistand',
  'forsakringskassan',
  'psykiatrin',
  'arbetsformedlingen',
  'annan',
] as const;
export const referralSchema = z.enum(REFERRALS);
export type Referral = z.infer<typeof referralSchema>;

/** The steps of a participant's way through an insats, in the order they usually come. */
export const STEPS = [
  'inskrivning',
  'kartlaggning',
  'motiverande',
  'studiebesok',
  'arbetstraning',
  'arbetsprovning',
  'studier',
  'arbeteSubventionerad',
  'arbeteOsubventionerad',
  'annanInsats',
  'avbrott',
  'avslutad',
] as const;
export const stepSchema = z.enum(STEPS);
export type Step = z.infer<typeof stepSchema>;

/** Steps a coach records; `inskrivning` is written by the enrolment itself. */
export const recordableStepSchema = stepSchema.exclude(['inskrivning']);
export type RecordableStep = z.infer<typeof recordableStepSchema>;

/** Steps after which there are no more follow-ups. */
export const ENDING_STEPS: readonly Step[] = ['avbrott', 'avslutad'];

export const DEVIATIONS = ['uteblivet', 'planEjFoljd'] as const;
export const deviationSchema = z.enum(DEVIATIONS);
export type Deviation = z.infer<typeof deviationSchema>;

/** A participant code as the bot issues it, e.g. `D-2026-0001`. */
export const PARTICIPANT_CODE_PATTERN = /^D-\d{4}-\d{4,6}$/;

/** The code of number `number` in a year's series, e.g. `D-2026-0001`. */
export const participantCode = (year: number, number: number) =>
  `D-${year}-${String(number).padStart(4, '0')}`;

export const participantCodeSchema = z
  .string()
  .transform((code) => code.trim().toUpperCase())
  .pipe(z.string().regex(PARTICIPANT_CODE_PATTERN, 'Koden ska se ut som D-2026-0001.'));

const userId = z.string().min(1).max(200);
const shortNote = z.string().max(300);

/**
 * A participant as the register keeps them (the aggregate's header row): a code the bot issued,
 * never a name, personnummer or birth date. The descriptive fields (birth year, age group,
 * kommun, referral) exist only with consent to the national follow-up; without it only gender
 * and start year describe the person. Insats, länsdel, coach and the responsible organisation are
 * the working record the follow-up needs and are kept either way. The history is rows of its
 * own (one per step, follow-up or deviation); the header keeps the summary and the row count.
 */
export const participantSchema = z
  .object({
    code: z.string().regex(PARTICIPANT_CODE_PATTERN),
    lansdelId: z.string().regex(/^[a-z0-9-]{2,40}$/),
    insatsId: z.string().regex(/^[a-z0-9-]{2,40}$/),
    gender: genderSchema,
    startYear: z.number().int().min(2000).max(2100),
    consent: z.boolean(),
    enrolledOn: localDateSchema,
    birthYear: z.number().int().min(1900).max(2100).optional(),
    ageGroup: ageGroupSchema.optional(),
    kommun: z.string().min(2).max(60).optional(),
    referral: referralSchema.optional(),
    coachId: userId,
    /** The coach's display name when enrolled, so the card needs no member look-up. */
    coachName: z.string().max(200).optional(),
    responsibleOrganisationId: z.string().max(60),
    caseCode: z.string().max(60).optional(),
    /** How the participant came in: a form (or a case decision), or an imported list. */
    source: z.enum(['form', 'import']).optional(),
    /** History rows written so far; the next row's sequence number. */
    eventCount: z.number().int().min(1),
    currentStep: stepSchema,
    currentStepOn: localDateSchema,
    /** When the current step was recorded (ties on the same date go to the later record). */
    currentStepAt: z.iso.datetime(),
    /** The latest contact: a recorded step or follow-up (not the enrolment, not a deviation). */
    lastContactOn: localDateSchema.optional(),
    /** The latest recorded follow-up; absent until the first one (due within one month). */
    lastFollowUpOn: localDateSchema.optional(),
    /** Absent once the participant has ended (avbrott, avslutad). */
    nextFollowUpOn: localDateSchema.optional(),
    endedOn: localDateSchema.optional(),
    enrolRequestId: z.string().min(8).max(100),
    createdAt: z.iso.datetime(),
    createdBy: userId,
  })
  .superRefine((p, ctx) => {
    if (!p.consent) {
      for (const field of ['birthYear', 'ageGroup', 'kommun', 'referral'] as const) {
        if (p[field] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: `${field} kräver samtycke` });
        }
      }
    } else if (!p.ageGroup || !p.kommun || !p.referral) {
      ctx.addIssue({ code: 'custom', message: 'ålder, kommun och remittent krävs vid samtycke' });
    }
    if (Number(p.enrolledOn.slice(0, 4)) !== p.startYear) {
      ctx.addIssue({ code: 'custom', path: ['startYear'], message: 'startår och datum skiljer' });
    }
  });
export type Participant = z.infer<typeof participantSchema>;

export const EVENT_KINDS = ['step', 'followUp', 'deviation'] as const;

/**
 * One row of a participant's append-only history. `id` is the request (card click or message)
 * that recorded it; `seq` its place in the order of recording.
 */
export const participantEventSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._:-]{3,100}$/),
  seq: z.number().int().min(0),
  code: z.string().regex(PARTICIPANT_CODE_PATTERN),
  kind: z.enum(EVENT_KINDS),
  on: localDateSchema,
  step: stepSchema.optional(),
  deviation: deviationSchema.optional(),
  /** For `annanInsats`: which, e.g. "daglig verksamhet". */
  which: z.string().max(80).optional(),
  note: shortNote.optional(),
  recordedBy: userId,
  recordedAt: z.iso.datetime(),
});
export type ParticipantEvent = z.infer<typeof participantEventSchema>;

/** The input of an enrolment, from the card, a case decision or an imported row. */
export const enrolmentSchema = z
  .object({
    requestId: z.string().min(8).max(100),
    source: z.enum(['form', 'import']).default('form'),
    coachName: z.string().max(200).optional(),
    lansdelId: z.string().min(1).max(40),
    insatsId: z.string().min(1).max(40),
    gender: genderSchema,
    consent: z.boolean(),
    enrolledOn: localDateSchema,
    birthYear: z.number().int().min(1900).max(2100).optional(),
    ageGroup: ageGroupSchema.optional(),
    kommun: z.string().max(60).optional(),
    referral: referralSchema.optional(),
    coachId: userId,
    responsibleOrganisationId: z.string().min(1).max(60),
    caseCode: z.string().max(60).optional(),
  })
  .strict();
export type Enrolment = z.infer<typeof enrolmentSchema>;

/** Card verbs of this capability. */
export const PARTICIPANT_VERBS = [
  'participants.list',
  'participants.new',
  'participants.enrol',
  'participants.open',
  'participants.step',
  'participants.followUp',
  'participants.deviation',
  'participants.importPreview',
  'participants.importConfirm',
] as const;
export type ParticipantVerb = (typeof PARTICIPANT_VERBS)[number];

import { z } from 'zod';
import { localDateSchema } from '../schedule/schedule.schema.js';
import {
  ageGroupSchema,
  DEVIATIONS,
  GENDERS,
  participantCodeSchema,
  recordableStepSchema,
  referralSchema,
} from './participants.schema.js';

/** The card inputs of this capability as zod schemas, each problem in Swedish. */
export const field = z
  .string()
  .optional()
  .transform((v) => (v ?? '').normalize('NFC').trim());
const optional = <T extends z.ZodType>(schema: T) => z.union([z.literal(''), schema]);
const dateField = (message: string) =>
  field.pipe(z.string().min(1, { error: message })).pipe(
    z.string().refine((v) => localDateSchema.safeParse(v).success, {
      error: 'Datum skrivs ÅÅÅÅ-MM-DD, till exempel 2026-03-15.',
    }),
  );

export const requestIdSchema = z.string().min(8).max(100);

export const enrolFormSchema = z.object({
  requestId: requestIdSchema,
  insatsId: field.pipe(z.string().min(1, { error: 'Välj insats.' })),
  lansdelId: field.pipe(z.string().min(1, { error: 'Välj länsdel.' })),
  enrolledOn: dateField('Välj inskrivningsdatum.'),
  gender: field.pipe(z.enum(GENDERS, { error: 'Välj kön.' })),
  responsibleOrganisationId: field.pipe(
    z.string().min(1, { error: 'Välj den ansvariga handläggarens organisation.' }),
  ),
  coachId: field,
  caseCode: field.pipe(
    z.string().regex(/^[\p{L}0-9-]{0,40}$/u, {
      error: 'Ärendekoder skrivs Ä-ÅÅÅÅ-NNNN, till exempel Ä-2026-0042.',
    }),
  ),
  consent: z.enum(['true', 'false']).default('false'),
  birthYear: field.pipe(
    z
      .string()
      .regex(/^(\d{4})?$/, { error: 'Skriv bara födelseåret med fyra siffror, t.ex. 1990.' }),
  ),
  ageGroup: field.pipe(optional(ageGroupSchema)),
  kommun: field.pipe(z.string().max(60)),
  referral: field.pipe(optional(referralSchema)),
});
export type EnrolForm = z.infer<typeof enrolFormSchema>;

/** The input ids of the enrolment form, to keep what was typed when the form comes back. */
export const ENROL_FORM_FIELDS = [
  'insatsId',
  'lansdelId',
  'enrolledOn',
  'gender',
  'responsibleOrganisationId',
  'coachId',
  'caseCode',
  'consent',
  'birthYear',
  'ageGroup',
  'kommun',
  'referral',
] as const;

const note = field.pipe(
  z.string().max(300, { error: 'Anteckningen är för lång (högst 300 tecken).' }),
);
/** The länsdel a participant card names: a hint for reading, checked against storage. */
export const lansdelHintSchema = z
  .string()
  .regex(/^[a-z0-9-]{1,40}$/)
  .optional()
  .catch(undefined);
export const recordBase = z.object({
  code: participantCodeSchema,
  lansdel: lansdelHintSchema,
  requestId: requestIdSchema,
});
export const stepFormSchema = recordBase.extend({
  stepStep: field.pipe(z.enum(recordableStepSchema.options, { error: 'Välj ett steg.' })),
  stepOn: dateField('Välj datum för steget.'),
  stepWhich: field.pipe(z.string().max(80, { error: 'Skriv kortare (högst 80 tecken).' })),
  stepNote: note,
});
export const followUpFormSchema = recordBase.extend({
  followUpOn: dateField('Välj datum för uppföljningen.'),
  followUpNote: note,
});
export const deviationFormSchema = recordBase.extend({
  deviationKind: field.pipe(z.enum(DEVIATIONS, { error: 'Välj vilken avvikelse.' })),
  deviationOn: dateField('Välj datum för avvikelsen.'),
  deviationNote: note,
});

export const RECORD_FORM_FIELDS = [
  'stepStep',
  'stepOn',
  'stepWhich',
  'stepNote',
  'followUpOn',
  'followUpNote',
  'deviationKind',
  'deviationOn',
  'deviationNote',
] as const;

/** The string values among a card's submitted data, for the listed inputs only. */
export function keptValues<K extends string>(
  data: Readonly<Record<string, unknown>>,
  fields: readonly K[],
): Partial<Record<K, string>> {
  const kept: Partial<Record<K, string>> = {};
  for (const key of fields) {
    const value = data[key];
    if (typeof value === 'string') kept[key] = value.normalize('NFC');
  }
  return kept;
}

const DATE_LIKE =
  /^\d{1,4}[-./\u2010-\u2015\u2212]\d{1,2}(?:[-./\u2010-\u2015\u2212]\d{1,4})?$|^\d{8}$|^\d{4}-\d{2}-\d{2}$/;

/**
 * A word of a typed command that may be a date: a real date, a date-like word that is not one
 * (`2025-13-01`, `2026-02-30`, `1/3`), or something else (the note starts there).
 */
export function dateWord(word: string | undefined): 'date' | 'bad-date' | 'none' {
  if (word === undefined) return 'none';
  if (localDateSchema.safeParse(word).success) return 'date';
  return DATE_LIKE.test(word) ? 'bad-date' : 'none';
}

import { z } from 'zod';
import { localDateSchema } from './schedule/schedule.schema.js';
import { foldForLookup } from './text.js';

const coachCount = z
  .number({ error: 'ska vara ett tal, t.ex. 4.5 (punkt som decimaltecken)' })
  .min(0, { error: 'kan inte vara negativt' })
  .max(200, { error: 'får vara högst 200' });

/**
 * A part of the county with its kommuner and its plan: coaches (decimals allowed, either one
 * number or one per kommun) × participants per coach and year over `planYears`, or the planned
 * flow as one number (`plannedFlow`), counted from the insats's `startDate` in the länsdel.
 */
export const lansdelSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{2,40}$/, {
      error: 'ska vara 2–40 tecken a–z, 0–9 eller bindestreck',
    }),
    name: z
      .string({ error: 'ska vara en text' })
      .min(2, { error: 'ska ha minst 2 tecken' })
      .max(60, { error: 'får ha högst 60 tecken' }),
    kommuner: z
      .array(z.string({ error: 'ska vara en text' }).min(2).max(60), {
        error: 'ska vara en lista med kommunnamn',
      })
      .min(1, { error: 'ska ha minst en kommun' })
      .max(20, { error: 'får ha högst 20 kommuner' }),
    coaches: z.union([coachCount, z.record(z.string().min(2).max(60), coachCount)], {
      error: 'ska vara ett antal coacher, t.ex. 4.5, eller ett antal per kommun',
    }),
    participantsPerCoach: z
      .number({ error: 'ska vara ett tal (deltagare per coach och år)' })
      .positive({ error: 'ska vara större än 0' })
      .max(200, { error: 'får vara högst 200' }),
    planYears: z
      .number({ error: 'ska vara ett antal år, t.ex. 3 eller 2.5' })
      .positive({ error: 'ska vara större än 0' })
      .max(20, { error: 'får vara högst 20' })
      .optional(),
    plannedFlow: z
      .number({ error: 'ska vara ett antal deltagare' })
      .min(0, { error: 'kan inte vara negativt' })
      .max(100_000, { error: 'får vara högst 100000' })
      .optional(),
    startDate: z
      .string({ error: 'ska vara insatsens startdatum som ÅÅÅÅ-MM-DD' })
      .pipe(localDateSchema),
  })
  .superRefine((lansdel, ctx) => {
    if (lansdel.planYears === undefined && lansdel.plannedFlow === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['planYears'],
        message: 'ange planYears (insatsens planerade år) eller plannedFlow (planerat antal)',
      });
    }
    if (typeof lansdel.coaches === 'object') {
      const known = new Set(lansdel.kommuner.map(foldForLookup));
      for (const kommun of Object.keys(lansdel.coaches)) {
        if (!known.has(foldForLookup(kommun))) {
          ctx.addIssue({
            code: 'custom',
            path: ['coaches'],
            message: 'coacher per kommun får bara gälla länsdelens kommuner',
          });
        }
      }
    }
  });
export type Lansdel = z.infer<typeof lansdelSchema>;

/** A funded intervention and how often its participants are followed up. */
export const insatsSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,40}$/, {
    error: 'ska vara 2–40 tecken a–z, 0–9 eller bindestreck',
  }),
  name: z
    .string({ error: 'ska vara en text' })
    .min(2, { error: 'ska ha minst 2 tecken' })
    .max(80, { error: 'får ha högst 80 tecken' }),
  followUpWeeks: z
    .number({ error: 'ska vara ett helt antal veckor' })
    .int({ error: 'ska vara ett helt antal veckor' })
    .min(1, { error: 'ska vara minst 1' })
    .max(26, { error: 'får vara högst 26' }),
});
export type Insats = z.infer<typeof insatsSchema>;

export interface Program {
  readonly lansdelar: readonly Lansdel[];
  readonly insatser: readonly Insats[];
}

export const DEFAULT_LANSDELAR: readonly Lansdel[] = [
  {
    id: 'norra',
    name: 'Norra',
    kommuner: ['Eskilstuna', 'Strängnäs'],
    coaches: { Eskilstuna: 4.5, Strängnäs: 2 },
    participantsPerCoach: 20,
    planYears: 3,
    startDate: '2025-01-01',
  },
  {
    id: 'vastra',
    name: 'Västra',
    kommuner: ['Katrineholm', 'Flen', 'Vingåker'],
    coaches: 3,
    participantsPerCoach: 20,
    planYears: 3,
    startDate: '2025-01-01',
  },
  {
    id: 'sodra',
    name: 'Södra',
    kommuner: ['Nyköping', 'Oxelösund', 'Gnesta', 'Trosa'],
    coaches: 3,
    participantsPerCoach: 20,
    planYears: 3,
    startDate: '2025-01-01',
  },
];

export const DEFAULT_INSATSER: readonly Insats[] = [
  { id: 'sikta', name: 'Sikta mot arbetslivet', followUpWeeks: 6 },
];

export function findLansdel(program: Program, word: string): Lansdel | undefined {
  const wanted = foldForLookup(word);
  return program.lansdelar.find((l) => l.id === wanted || foldForLookup(l.name) === wanted);
}

export function findInsats(program: Program, word: string): Insats | undefined {
  const wanted = foldForLookup(word);
  return program.insatser.find((i) => i.id === wanted || foldForLookup(i.name) === wanted);
}

/** The länsdel a kommun belongs to, with the kommun's name as configured. */
export function findKommun(
  program: Program,
  word: string,
): { lansdel: Lansdel; kommun: string } | undefined {
  const wanted = foldForLookup(word);
  for (const lansdel of program.lansdelar) {
    const kommun = lansdel.kommuner.find((k) => foldForLookup(k) === wanted);
    if (kommun) return { lansdel, kommun };
  }
  return undefined;
}

/** Coaches of a länsdel in total, or in one of its kommuner (undefined when not planned per kommun). */
export function coachesOf(lansdel: Lansdel, kommun?: string): number | undefined {
  if (typeof lansdel.coaches === 'number')
    return kommun === undefined ? lansdel.coaches : undefined;
  const entries = Object.entries(lansdel.coaches);
  if (kommun === undefined) return entries.reduce((sum, [, n]) => sum + n, 0);
  const wanted = foldForLookup(kommun);
  return entries.find(([k]) => foldForLookup(k) === wanted)?.[1] ?? 0;
}

import { z } from 'zod';
import { foldForLookup } from '../text.js';

/** A part of the county with its kommuner and planned flow (coaches × participants per coach and year). */
export const lansdelSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,40}$/),
  name: z.string().min(2).max(60),
  kommuner: z.array(z.string().min(2).max(60)).min(1).max(20),
  coaches: z.number().int().min(0).max(200),
  participantsPerCoach: z.number().int().min(1).max(200),
});
export type Lansdel = z.infer<typeof lansdelSchema>;

/** A funded intervention and how often its participants are followed up. */
export const insatsSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,40}$/),
  name: z.string().min(2).max(80),
  followUpWeeks: z.number().int().min(1).max(26),
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
    coaches: 4,
    participantsPerCoach: 20,
  },
  {
    id: 'vastra',
    name: 'Västra',
    kommuner: ['Katrineholm', 'Flen', 'Vingåker'],
    coaches: 3,
    participantsPerCoach: 20,
  },
  {
    id: 'sodra',
    name: 'Södra',
    kommuner: ['Nyköping', 'Oxelösund', 'Gnesta', 'Trosa'],
    coaches: 3,
    participantsPerCoach: 20,
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

import { z } from 'zod';
import { foldForLookup, slugify } from './text.js';

/** The förbund's member organisations: the shared vocabulary of who represents whom. */
export const ORGANISATION_KINDS = [
  'forsakringskassan',
  'arbetsformedlingen',
  'region',
  'kommun',
  'forbundskansli',
] as const;
export const organisationKindSchema = z.enum(ORGANISATION_KINDS);
export type OrganisationKind = z.infer<typeof organisationKindSchema>;

export const organisationSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,60}$/),
  name: z.string().min(2).max(100),
  kind: organisationKindSchema,
  /** Short words that find the organisation in commands, e.g. `fk`. */
  aliases: z.array(z.string().max(40)).max(10),
});
export type Organisation = z.infer<typeof organisationSchema>;

/** The member organisations of a förbund: the state agencies, the region, its kommuner and the kansli. */
export function defaultOrganisations(kommuner: readonly string[]): Organisation[] {
  return [
    { id: 'fk', name: 'Försäkringskassan', kind: 'forsakringskassan', aliases: ['fk'] },
    { id: 'af', name: 'Arbetsförmedlingen', kind: 'arbetsformedlingen', aliases: ['af'] },
    {
      id: 'region',
      name: 'Region (Psykiatrin)',
      kind: 'region',
      aliases: ['region', 'psykiatrin', 'psykiatri'],
    },
    {
      id: 'forbundskansliet',
      name: 'Förbundskansliet',
      kind: 'forbundskansli',
      aliases: ['kansliet', 'forbundet'],
    },
    ...kommuner.map((kommun): Organisation => ({
      id: `kommun-${slugify(kommun)}`,
      name: `${kommun} kommun`,
      kind: 'kommun',
      aliases: [slugify(kommun)],
    })),
  ];
}

/** Finds an organisation by id, name or alias, forgiving case and diacritics. */
export function findOrganisation(
  organisations: readonly Organisation[],
  word: string,
): Organisation | undefined {
  const wanted = foldForLookup(word);
  const wantedSlug = slugify(word);
  return organisations.find(
    (org) =>
      org.id === wantedSlug ||
      foldForLookup(org.name) === wanted ||
      org.aliases.some((alias) => foldForLookup(alias) === wanted),
  );
}

import { foldForLookup, slugify } from '../text.js';
import type { Organisation } from './access.schema.js';

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

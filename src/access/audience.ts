import type { Member } from './access.schema.js';
import { MAX_VIEWERS, type Audience } from './audience.port.js';

/**
 * Who gets a channel card refreshed into their own view, chosen by role: samordnare, then
 * administratörer, then the representatives of the organisations the card is about; `first`
 * (e.g. the person who asked) before everyone. At most {@link MAX_VIEWERS}; only Teams user ids
 * (`29:…`), the ids Teams names people by in `refresh.userIds`.
 */
export function viewAudience(
  members: readonly Member[],
  organisations: readonly string[] = [],
  first: readonly string[] = [],
): string[] {
  const teamsIds = (list: readonly Member[]) => list.map((m) => m.id).filter(isTeamsUserId);
  const byName = [...members].sort((a, b) =>
    (a.displayName ?? a.id).localeCompare(b.displayName ?? b.id, 'sv'),
  );
  const ordered = [
    ...first.filter(isTeamsUserId),
    ...teamsIds(byName.filter((m) => m.roles.includes('samordnare'))),
    ...teamsIds(byName.filter((m) => m.roles.includes('admin'))),
    ...teamsIds(
      byName.filter(
        (m) =>
          m.roles.includes('representant') &&
          m.organisationId !== undefined &&
          organisations.includes(m.organisationId),
      ),
    ),
  ];
  return [...new Set(ordered)].slice(0, MAX_VIEWERS);
}

export const isTeamsUserId = (id: string) => /^29:[^\s]{1,200}$/.test(id);

/** How long the members an audience is chosen from are kept per instance. */
const MEMBERS_TTL_MS = 30_000;

/** An {@link Audience} over the stored members, read at most every 30 s per instance. */
export function audienceOf(directory: () => Promise<Member[]>, now = () => Date.now()): Audience {
  let cached: { at: number; members: Promise<Member[]> } | undefined;
  return async (organisations = [], first = []) => {
    if (!cached || now() - cached.at > MEMBERS_TTL_MS) {
      const members = directory();
      cached = { at: now(), members };
      members.catch(() => {
        if (cached?.members === members) cached = undefined;
      });
    }
    return viewAudience(await cached.members, organisations, first);
  };
}

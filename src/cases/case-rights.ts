import { hasRole, type Principal } from '../access/access.schema.js';
import { forbidden, invalidInput } from '../errors.js';
import type { CasePeople } from './case-ports.js';
import type { Case } from './cases.schema.js';

const MAX_NAMES = 5;

function listed(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMES);
  const more = names.length - shown.length;
  const text =
    shown.length > 1 ? `${shown.slice(0, -1).join(', ')} och ${shown.at(-1)}` : (shown[0] ?? '');
  return more > 0 ? `${text} (och ${more} till)` : text;
}

/** Names the people who can help with something that needs `role`. */
export async function whoCanHelp(
  people: CasePeople,
  role: 'samordnare' | 'admin',
): Promise<string> {
  const names = await people.namesWithRole(role).catch(() => [] as string[]);
  if (role === 'samordnare') {
    if (names.length > 0) return `Be en samordnare om hjälp: ${listed(names)}.`;
    const admins = await people.namesWithRole('admin').catch(() => [] as string[]);
    return admins.length > 0
      ? `Det finns ingen samordnare ännu. Förbundets administratör (${listed(admins)}) ger rollen med /roller ge.`
      : 'Det finns ingen samordnare ännu. Förbundets administratör ger rollen med /roller ge.';
  }
  return names.length > 0
    ? `Förbundets administratör (${listed(names)}) ger roller med /roller ge.`
    : 'Förbundets administratör ger roller med /roller ge.';
}

const isCoordinator = (actor: Principal) => hasRole(actor, 'samordnare', 'admin');

/** Samordnare plan, move, present, decide and close cases, and read their audit log. */
export async function requireCoordinator(
  people: CasePeople,
  actor: Principal,
  what: string,
): Promise<void> {
  if (isCoordinator(actor)) return;
  throw forbidden(`Bara samordnare kan ${what}. ${await whoCanHelp(people, 'samordnare')}`);
}

/** Representatives and samordnare with an organisation submit cases for it. */
export async function requireSubmitter(people: CasePeople, actor: Principal): Promise<string> {
  if (!hasRole(actor, 'representant', 'samordnare', 'admin')) {
    throw forbidden(
      `Bara organisationernas representanter och samordnare kan anmäla ärenden. ${await whoCanHelp(people, 'admin')}`,
    );
  }
  if (!actor.organisationId) {
    throw invalidInput(
      `Du hör inte till någon organisation än, så ärendet kan inte anmälas i någons namn. ${await whoCanHelp(people, 'admin')}`,
    );
  }
  return actor.organisationId;
}

/** Details (reason, decisions, history): samordnare, or the referring organisation's representatives. */
export function maySeeDetails(actor: Principal, value: Pick<Case, 'organisationId'>): boolean {
  return (
    isCoordinator(actor) ||
    (hasRole(actor, 'representant') && actor.organisationId === value.organisationId)
  );
}

export async function refuseDetails(people: CasePeople): Promise<never> {
  throw forbidden(
    `Detaljerna i ett ärende visas bara för samordnare och för den anmälande organisationens representanter. ${await whoCanHelp(people, 'samordnare')}`,
  );
}

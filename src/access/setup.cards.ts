import {
  hasRole,
  roleLabels,
  type Member,
  type Organisation,
  type Principal,
  type Role,
} from './access.schema.js';
import type { ConversationKind } from '../conversations/conversations.schema.js';
import type { RosterMember } from '../bot/turn-port.js';
import { joinSwedish } from '../text.js';

/** A länsdel as the setup card shows it. */
export interface LansdelSummary {
  readonly name: string;
  readonly kommuner: readonly string[];
}

export interface SetupInput {
  readonly principal: Principal;
  readonly organisations: readonly Organisation[];
  readonly lansdelar: readonly LansdelSummary[];
  readonly members: readonly Member[];
  /** Names of the administratörer, for people who need to ask for a role. */
  readonly adminNames: readonly string[];
  readonly roster: readonly RosterMember[];
  readonly place: ConversationKind;
  readonly notice?: { readonly text: string; readonly tone: 'good' | 'attention' };
}

/** Roles an administratör can take or give on the setup card (admin itself is given by command). */
export const ASSIGNABLE_ROLES: readonly Role[] = [
  'samordnare',
  'representant',
  'coach',
  'observator',
];

const choice = (title: string, value: string) => ({ title, value });

export function setupView(input: SetupInput) {
  const { principal, organisations } = input;
  const isAdmin = hasRole(principal, 'admin');
  const organisationName = (id: string | undefined) =>
    organisations.find((org) => org.id === id)?.name;
  const admins = input.adminNames;
  const roles = principal.roles.map((role) => roleLabels[role].toLowerCase());
  const myOrganisation = organisationName(principal.organisationId);
  const canInvite = isAdmin && input.place !== 'personal' && input.roster.length > 0;
  const coaches = input.members.filter((member) => member.roles.includes('coach')).length;
  const samordnare = input.members.filter((member) => member.roles.includes('samordnare')).length;
  return {
    notice: input.notice?.text ?? '',
    noticeColor: input.notice?.tone === 'attention' ? 'Attention' : 'Good',
    name: principal.displayName ?? 'Du',
    me:
      (roles.length > 0 ? `Du är ${joinSwedish(roles)}` : 'Du har ingen roll ännu') +
      (myOrganisation ? ` (${myOrganisation}).` : '.'),
    isAdmin,
    askAdmin: isAdmin
      ? ''
      : admins.length > 0
        ? `Be en administratör om en roll: ${joinSwedish(admins)}.`
        : 'Be den som installerade boten i förbundet om en roll.',
    organisationChoices: organisations.map((org) => choice(org.name, org.id)),
    myOrganisationId: principal.organisationId ?? '',
    roleChoices: ASSIGNABLE_ROLES.map((role) => choice(roleLabels[role], role)),
    myRoles: principal.roles.filter((role) => role !== 'admin').join(','),
    organisations: organisations.map((org) => org.name).join(', '),
    lansdelar: input.lansdelar.map((lansdel) => ({
      name: lansdel.name,
      kommuner: joinSwedish(lansdel.kommuner),
    })),
    staffing: `Samordnare: ${samordnare}. Coacher: ${coaches}.`,
    canInvite,
    invitePlace:
      isAdmin && !canInvite
        ? 'Öppna Kom igång i förbundets kanal eller gruppchatt för att välja personer därifrån och ge dem roller.'
        : '',
    people: input.roster.map((person) => choice(person.name, person.id)),
    nextSteps: [
      '1. Ge dig själv och de andra samordnarna rollen samordnare, och coacherna rollen coach.',
      '2. Skriv @Finsam /möte ny i mötets kanal för att skapa en mötesserie med kallelser.',
      '3. Representanter anmäler ärenden med /ärenden ny; samordnare planerar dem från kön.',
      '4. Coacher skriver in deltagare med /deltagare ny i chatten med boten.',
    ],
  };
}

import type { Member, Organisation, Principal } from './access.schema.js';
import { hasRole, roleLabels } from './access.schema.js';

const MAX_ROWS = 40;

function organisationName(organisations: readonly Organisation[], id: string | undefined): string {
  if (!id) return 'Ingen organisation angiven';
  return organisations.find((org) => org.id === id)?.name ?? id;
}

export function profileView(principal: Principal, organisations: readonly Organisation[]) {
  const isAdmin = hasRole(principal, 'admin');
  return {
    name: principal.displayName ?? 'Okänd användare',
    organisation: organisationName(organisations, principal.organisationId),
    roles:
      principal.roles.length > 0
        ? principal.roles.map((role) => roleLabels[role]).join(', ')
        : 'Inga roller ännu',
    explanation: isAdmin
      ? 'Som administratör kan du ge och ta bort roller med /roller.'
      : 'Be förbundets administratör om en roll, till exempel representant, om du behöver mer behörighet.',
    isAdmin,
  };
}

export function rolesView(
  members: readonly Member[],
  organisations: readonly Organisation[],
  notice = '',
) {
  const assignments = members.flatMap((member) =>
    member.roles.map((role) => ({
      person: member.displayName ?? member.id,
      organisation: organisationName(organisations, member.organisationId),
      roleLabel: roleLabels[role],
      memberId: member.id,
      role,
    })),
  );
  return {
    notice,
    assignments: assignments.slice(0, MAX_ROWS),
    hiddenCount: Math.max(0, assignments.length - MAX_ROWS),
  };
}

export function organisationsView(organisations: readonly Organisation[]) {
  return {
    organisations: organisations.map((org) => ({
      name: org.name,
      words: org.aliases.join(', ') || org.id,
    })),
  };
}

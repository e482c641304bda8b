import { z } from 'zod';
import { hasRole, roleLabels, roleSchema, type Principal, type Role } from './access.schema.js';
import type { AccessService } from './access.service.js';
import type { Capability } from '../bot/bot.js';
import { renderCard } from '../bot/card-renderer.js';
import type { Turn } from '../bot/turn-port.js';
import { forbidden, invalidInput } from '../errors.js';
import { joinSwedish } from '../text.js';
import { ASSIGNABLE_ROLES, setupView, type LansdelSummary } from './setup.cards.js';

export interface SetupDeps {
  readonly access: AccessService;
  readonly lansdelar: readonly LansdelSummary[];
}

const organisationId = z
  .string()
  .regex(/^[a-z0-9-]{0,60}$/)
  .optional();
/** Both inputs are on the card, so both keys come with a real click (an empty choice is ''). */
const selfSchema = z.object({
  organisationId: z.string().regex(/^[a-z0-9-]{0,60}$/),
  roles: z
    .string()
    .max(200)
    .transform((value) => value.split(',').filter((word) => word.length > 0))
    .pipe(z.array(roleSchema).max(ASSIGNABLE_ROLES.length)),
});
const grantSchema = z.object({
  people: z
    .string()
    .max(20_000)
    .optional()
    .transform((value) => (value ?? '').split(',').filter((id) => id.length > 0)),
  role: roleSchema,
  grantOrganisationId: organisationId,
});

const requireAdmin = (principal: Principal) => {
  if (!hasRole(principal, 'admin')) {
    throw forbidden(
      'Bara en administratör kan ge roller. Skriv /kom igång för att se vilka som är administratörer.',
    );
  }
};

/** `/kom igång`: the administratör's first hour, and everyone's view of who they are. */
export function setupCapability(deps: SetupDeps): Capability {
  const { access } = deps;
  const card = async (
    turn: Turn,
    principal: Principal,
    notice?: { text: string; tone: 'good' | 'attention' },
  ) => {
    const isAdmin = hasRole(principal, 'admin');
    const [organisations, members, adminNames, roster] = await Promise.all([
      access.listOrganisations(),
      access.directory(),
      access.adminNames(),
      isAdmin ? turn.roster().catch(() => []) : Promise.resolve([]),
    ]);
    return renderCard(
      'setup',
      setupView({
        principal,
        organisations,
        lansdelar: deps.lansdelar,
        members,
        adminNames,
        roster,
        place: turn.conversationKind,
        ...(notice ? { notice } : {}),
      }),
    );
  };
  const reresolved = (turn: Turn) =>
    access.resolvePrincipal({
      userId: turn.principal.userId,
      tenantId: turn.principal.tenantId,
      ...(turn.principal.aadObjectId ? { aadObjectId: turn.principal.aadObjectId } : {}),
      ...(turn.principal.displayName ? { displayName: turn.principal.displayName } : {}),
    });

  return (routes) => {
    routes.command('kom', async (turn) => {
      if (turn.command.args.length > 1 || !/^(|igång|igang)$/iu.test(turn.command.args[0] ?? '')) {
        throw invalidInput('Skriv /kom igång.');
      }
      await turn.reply(await card(turn, turn.principal));
    });

    routes.welcome(async (turn) => {
      if (!hasRole(turn.principal, 'admin')) return;
      await turn.reply(
        await card(turn, turn.principal, {
          text: 'Hej! Finsam är nu tillagd här. Börja med att välja din organisation och dina roller.',
          tone: 'good',
        }),
      );
    });

    routes.cardAction({
      verb: 'setup.open',
      schema: z.object({}),
      handle: async (turn) => card(turn, turn.principal),
    });

    routes.cardAction({
      verb: 'setup.self',
      schema: selfSchema,
      handle: async (turn) => {
        const { principal, data } = turn;
        requireAdmin(principal);
        const wanted = new Set<Role>(data.roles);
        const organisation = data.organisationId || principal.organisationId;
        const needsOrganisation = data.roles.filter(
          (role) => role === 'representant' || role === 'coach',
        );
        if (needsOrganisation.length > 0 && !organisation) {
          throw invalidInput('Välj din organisation för att bli representant eller coach.');
        }
        const self = {
          id: principal.userId,
          ...(principal.displayName ? { displayName: principal.displayName } : {}),
          ...(principal.aadObjectId ? { aadObjectId: principal.aadObjectId } : {}),
        };
        let changed = 0;
        for (const role of ASSIGNABLE_ROLES) {
          const has = principal.roles.includes(role);
          const key = `${turn.activityId}|${role}`;
          if (wanted.has(role)) {
            const change = await access.grant(
              principal,
              self,
              role,
              organisation || undefined,
              key,
            );
            if (change.changed) changed++;
          } else if (has) {
            const change = await access.revoke(principal, principal.userId, role, key);
            if (change.changed) changed++;
          }
        }
        const now = await reresolved(turn);
        const roles = now.roles.map((role) => roleLabels[role].toLowerCase());
        return card(turn, now, {
          text: changed > 0 ? `Sparat. Du är nu ${joinSwedish(roles)}.` : 'Inget ändrades.',
          tone: 'good',
        });
      },
    });

    routes.cardAction({
      verb: 'setup.grant',
      schema: grantSchema,
      handle: async (turn) => {
        const { principal, data } = turn;
        requireAdmin(principal);
        if (data.people.length === 0) throw invalidInput('Välj minst en person.');
        const roster = await turn.roster();
        const chosen = data.people.map((id) => roster.find((person) => person.id === id));
        if (chosen.some((person) => !person)) {
          throw invalidInput(
            'Någon av de valda personerna finns inte här längre. Öppna kortet på nytt och välj igen.',
          );
        }
        const organisation = data.grantOrganisationId || undefined;
        const names: string[] = [];
        for (const person of chosen) {
          const change = await access.grant(
            principal,
            {
              id: person!.id,
              displayName: person!.name,
              ...(person!.aadObjectId ? { aadObjectId: person!.aadObjectId } : {}),
            },
            data.role,
            organisation,
            `${turn.activityId}|${person!.id}`,
          );
          names.push(change.member.displayName ?? person!.name);
        }
        return card(turn, await reresolved(turn), {
          text: `${joinSwedish(names)} har nu rollen ${roleLabels[data.role].toLowerCase()}.`,
          tone: 'good',
        });
      },
    });
  };
}

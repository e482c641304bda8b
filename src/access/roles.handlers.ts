import { z } from 'zod';
import type { Capability, CommandContext } from '../bot/bot.js';
import { renderCard } from '../bot/card-renderer.js';
import type { MentionedUser } from '../bot/command-parser.js';
import { invalidInput } from '../errors.js';
import { foldForLookup } from '../text.js';
import { hasRole, parseRole, roleLabels, roleSchema, type Role } from './access.schema.js';
import type { AccessService } from './access.service.js';
import { organisationsView, profileView, rolesView } from './roles.cards.js';

const USAGE_GRANT = '/roller ge @person <roll> [organisation]';
const USAGE_REVOKE = '/roller ta bort @person <roll>';
const TEAMS_USER_ID = /^[A-Za-z0-9][A-Za-z0-9:_.@-]{0,199}$/;

/** People are named by an @mention (the ids Teams puts in the activity), never by typed text. */
const targetToken = z
  .string()
  .regex(
    /^@\d{1,2}$/,
    `Nämn personen med @ så att Teams visar namnet, till exempel: ${USAGE_GRANT}. Ett id eller ett namn som text räknas inte.`,
  );
const roleToken = z.string().transform((word, ctx) => {
  const role = parseRole(word);
  if (!role) {
    ctx.addIssue({
      code: 'custom',
      message: 'Okänd roll. Välj administratör, samordnare, representant, coach eller observatör.',
    });
    return z.NEVER;
  }
  return role;
});
const grantArgs = z.tuple([targetToken, roleToken], z.string());
const revokeArgs = z.tuple([targetToken, roleToken]);

/** Verbs of the role cards, with their payloads. */
export const rolesRevokeData = z.object({
  memberId: z.string().regex(TEAMS_USER_ID),
  role: roleSchema,
});

type RolesCommand =
  | { kind: 'overview' }
  | { kind: 'organisations' }
  | { kind: 'grant'; target: string; role: Role; organisation?: string }
  | { kind: 'revoke'; target: string; role: Role };

function parseRolesCommand(args: readonly string[]): RolesCommand {
  const [first, second] = args.map((word) => foldForLookup(word));
  if (first === undefined) return { kind: 'overview' };
  if (first === 'organisationer' && args.length === 1) return { kind: 'organisations' };
  if (first === 'ge') {
    const parsed = grantArgs.safeParse(args.slice(1));
    if (!parsed.success) throw invalidInput(firstIssue(parsed.error, USAGE_GRANT));
    const [target, role, ...organisation] = parsed.data;
    return {
      kind: 'grant',
      target,
      role,
      ...(organisation.length > 0 ? { organisation: organisation.join(' ') } : {}),
    };
  }
  const revokeFrom =
    first === 'ta' && second === 'bort' ? 2 : first === 'aterkalla' ? 1 : undefined;
  if (revokeFrom !== undefined) {
    const parsed = revokeArgs.safeParse(args.slice(revokeFrom));
    if (!parsed.success) throw invalidInput(firstIssue(parsed.error, USAGE_REVOKE));
    const [target, role] = parsed.data;
    return { kind: 'revoke', target, role };
  }
  throw invalidInput(
    `Okänt underkommando till /roller. Skriv /roller, /roller organisationer, ${USAGE_GRANT} eller ${USAGE_REVOKE}.`,
  );
}

function firstIssue(error: z.ZodError, usage: string): string {
  const issue = error.issues[0];
  if (issue && issue.code === 'custom') return issue.message;
  if (issue && issue.code === 'invalid_format') return issue.message;
  return `Kommandot saknar något eller har för många ord. Skriv så här: ${usage}`;
}

function resolveTarget(
  token: string,
  mentions: readonly MentionedUser[],
): { id: string; displayName?: string } {
  const mention = mentions[Number(token.slice(1)) - 1];
  if (!mention || !TEAMS_USER_ID.test(mention.id))
    throw invalidInput(`Ange personen genom att nämna hen med @. Skriv så här: ${USAGE_GRANT}`);
  return {
    id: mention.id,
    ...(mention.name ? { displayName: mention.name } : {}),
    ...(mention.aadObjectId ? { aadObjectId: mention.aadObjectId } : {}),
  };
}

export function rolesCapability(access: AccessService): Capability {
  return (routes) => {
    routes.command('roller', async (ctx: CommandContext) => {
      const { principal } = ctx;
      const command = parseRolesCommand(ctx.command.args);
      const organisations = await access.listOrganisations();
      switch (command.kind) {
        case 'overview': {
          await ctx.reply(
            hasRole(principal, 'admin')
              ? renderCard('roles', rolesView(await access.listMembers(principal), organisations))
              : renderCard('profile', profileView(principal, organisations)),
          );
          return;
        }
        case 'organisations':
          await ctx.reply(renderCard('organisations', organisationsView(organisations)));
          return;
        case 'grant': {
          const target = resolveTarget(command.target, ctx.mentions);
          const tenantId = command.organisation ? undefined : await ctx.memberTenant(target.id);
          const change = await access.grant(
            principal,
            { ...target, ...(tenantId ? { tenantId } : {}) },
            command.role,
            command.organisation,
            ctx.activityId,
          );
          const who = change.member.displayName ?? 'Personen';
          const org = organisations.find((o) => o.id === change.member.organisationId)?.name;
          const label = roleLabels[command.role].toLowerCase();
          await ctx.reply(
            change.changed
              ? `${who} har nu rollen ${label}${org ? ` (${org})` : ''}.`
              : `${who} hade redan rollen ${label}. Inget ändrades.`,
          );
          return;
        }
        case 'revoke': {
          const target = resolveTarget(command.target, ctx.mentions);
          const change = await access.revoke(principal, target.id, command.role, ctx.activityId);
          const who = change.member.displayName ?? target.displayName ?? 'Personen';
          const label = roleLabels[command.role].toLowerCase();
          await ctx.reply(
            change.changed
              ? `Rollen ${label} togs bort från ${who}.`
              : `${who} hade inte rollen ${label}. Inget ändrades.`,
          );
          return;
        }
        default: {
          const unreachable: never = command;
          throw new Error(`Unhandled roles command ${JSON.stringify(unreachable)}`);
        }
      }
    });

    routes.cardAction({
      verb: 'roles.mine',
      schema: z.object({}),
      handle: async ({ principal }) =>
        renderCard('profile', profileView(principal, await access.listOrganisations())),
    });

    routes.cardAction({
      verb: 'roles.list',
      schema: z.object({}),
      handle: async ({ principal }) =>
        renderCard(
          'roles',
          rolesView(await access.listMembers(principal), await access.listOrganisations()),
        ),
    });

    routes.cardAction({
      verb: 'roles.revoke',
      schema: rolesRevokeData,
      handle: async ({ principal, data, activityId }) => {
        const change = await access.revoke(principal, data.memberId, data.role, activityId);
        const who = change.member.displayName ?? 'personen';
        const notice = change.changed
          ? `Rollen ${roleLabels[data.role].toLowerCase()} togs bort från ${who}.`
          : `${who} har inte rollen ${roleLabels[data.role].toLowerCase()} längre. Inget ändrades.`;
        return renderCard(
          'roles',
          rolesView(await access.listMembers(principal), await access.listOrganisations(), notice),
        );
      },
    });
  };
}

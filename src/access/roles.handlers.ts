import { z } from 'zod';
import { cardMessage, textMessage, type Capability, type CommandContext } from '../bot/bot.js';
import { cardAttachment, renderCard } from '../bot/card-renderer.js';
import type { MentionedUser } from '../bot/command-parser.js';
import { invalidInput } from '../errors.js';
import { foldForLookup } from '../text.js';
import { hasRole, parseRole, roleLabels, roleSchema, type Role } from './access.schema.js';
import type { AccessService } from './access.service.js';
import { organisationsView, profileView, rolesView } from './roles.cards.js';

const USAGE_GRANT = '/roller ge @person <roll> [organisation]';
const USAGE_REVOKE = '/roller ta bort @person <roll>';

const targetToken = z
  .string()
  .regex(
    /^(@\d{1,2}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{1,2}:[\w.-]{1,180})$/i,
    `Ange personen genom att nämna hen med @, till exempel: ${USAGE_GRANT}`,
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
export const rolesRevokeData = z.object({ memberId: z.string().min(1).max(200), role: roleSchema });

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
  if (!token.startsWith('@')) return { id: token };
  const mention = mentions[Number(token.slice(1)) - 1];
  if (!mention)
    throw invalidInput(`Ange personen genom att nämna hen med @. Skriv så här: ${USAGE_GRANT}`);
  return { id: mention.id, ...(mention.name ? { displayName: mention.name } : {}) };
}

export function rolesCapability(access: AccessService): Capability {
  return (routes) => {
    routes.command('roller', async (ctx: CommandContext) => {
      const { turn, principal } = ctx;
      const command = parseRolesCommand(ctx.command.args);
      const organisations = await access.listOrganisations();
      switch (command.kind) {
        case 'overview': {
          const card = hasRole(principal, 'admin')
            ? cardAttachment('roles', rolesView(await access.listMembers(principal), organisations))
            : cardAttachment('profile', profileView(principal, organisations));
          await turn.sendActivity(cardMessage(card));
          return;
        }
        case 'organisations':
          await turn.sendActivity(
            cardMessage(cardAttachment('organisations', organisationsView(organisations))),
          );
          return;
        case 'grant': {
          const target = resolveTarget(command.target, ctx.command.mentions);
          const change = await access.grant(principal, target, command.role, command.organisation);
          const who = change.member.displayName ?? 'Personen';
          const org = organisations.find((o) => o.id === change.member.organisationId)?.name;
          const label = roleLabels[command.role];
          await turn.sendActivity(
            textMessage(
              change.changed
                ? `${who} har nu rollen ${label}${org ? ` (${org})` : ''}.`
                : `${who} hade redan rollen ${label}. Inget ändrades.`,
            ),
          );
          return;
        }
        case 'revoke': {
          const target = resolveTarget(command.target, ctx.command.mentions);
          const change = await access.revoke(principal, target.id, command.role);
          const who = change.member.displayName ?? target.displayName ?? 'Personen';
          const label = roleLabels[command.role];
          await turn.sendActivity(
            textMessage(
              change.changed
                ? `Rollen ${label} togs bort från ${who}.`
                : `${who} hade inte rollen ${label}. Inget ändrades.`,
            ),
          );
          return;
        }
        default: {
          const unreachable: never = command;
          throw new Error(`Unhandled roles command ${JSON.stringify(unreachable)}`);
        }
      }
    });

    routes.cardAction('roles.mine', z.object({}).loose(), async ({ principal }) =>
      renderCard('profile', profileView(principal, await access.listOrganisations())),
    );

    routes.cardAction('roles.list', z.object({}).loose(), async ({ principal }) =>
      renderCard(
        'roles',
        rolesView(await access.listMembers(principal), await access.listOrganisations()),
      ),
    );

    routes.cardAction('roles.revoke', rolesRevokeData.loose(), async ({ principal, data }) => {
      const change = await access.revoke(principal, data.memberId, data.role);
      const who = change.member.displayName ?? 'personen';
      const notice = change.changed
        ? `Rollen ${roleLabels[data.role]} togs bort från ${who}.`
        : `${who} har inte rollen ${roleLabels[data.role]} längre. Inget ändrades.`;
      return renderCard(
        'roles',
        rolesView(await access.listMembers(principal), await access.listOrganisations(), notice),
      );
    });
  };
}

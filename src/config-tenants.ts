import { z } from 'zod';
import { defaultOrganisations } from './organisations.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `TENANT_ORGANISATIONS`: a JSON object from tenant id to organisation id, e.g.
 * `{"0b0b…6666":"fk","1c1c…7777":"kommun-eskilstuna"}`. Parsed here; checked against the
 * förbund's organisations by {@link checkTenantOrganisations} once the kommuner are known.
 */
export const tenantOrganisationsVariable = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const text = value?.trim() ?? '';
    if (text === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message:
          'ska vara ett JSON-objekt från tenant-id till organisation, t.ex. {"<tenant-id>":"fk"} (kontrollera citattecken och komman)',
      });
      return z.NEVER;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'ska vara ett JSON-objekt från tenant-id till organisation, t.ex. {"<tenant-id>":"fk"}',
      });
      return z.NEVER;
    }
    return parsed as Record<string, unknown>;
  });

/**
 * Checks the parsed map: every key a tenant id (once, in any case), every value one of the
 * förbund's organisation ids. Problems are Swedish sentences naming the entry by its position.
 * @returns the map with lower-case tenant ids.
 */
export function checkTenantOrganisations(
  raw: Readonly<Record<string, unknown>>,
  kommuner: readonly string[],
  problems: string[],
): Readonly<Record<string, string>> {
  const known = defaultOrganisations(kommuner).map((o) => o.id);
  const result: Record<string, string> = {};
  Object.entries(raw).forEach(([tenant, organisation], index) => {
    const where = `TENANT_ORGANISATIONS, post ${index + 1}`;
    if (!GUID.test(tenant)) {
      problems.push(`${where}: nyckeln ska vara ett tenant-id (ett GUID).`);
      return;
    }
    const id = tenant.toLowerCase();
    if (id in result) {
      problems.push(`${where}: samma tenant-id står två gånger.`);
      return;
    }
    if (typeof organisation !== 'string' || !known.includes(organisation)) {
      problems.push(
        `${where}: organisationen finns inte i förbundet. Ange en av: ${known.join(', ')}.`,
      );
      return;
    }
    result[id] = organisation;
  });
  return result;
}

/** Where the Azure Bot resource keeps its data, and the Bot Service endpoints that go with it. */
export const BOT_REGIONS = ['europe', 'global'] as const;
export type BotRegion = (typeof BOT_REGIONS)[number];

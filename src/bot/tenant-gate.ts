import { TeamsInfo, type TurnContext } from 'botbuilder';
import { errorFields, type Logger } from '../log.js';
import { withTimeout } from './connector-client.js';
import { conversationKindOf, tenantOf } from './turn-identity.js';

/** How long a member's own tenant, read from the roster, is kept per instance. */
const MEMBER_TENANT_TTL_MS = 24 * 60 * 60_000;
/** How long a roster that could not be read is not asked again for the same member. */
const FAILED_LOOKUP_TTL_MS = 60_000;
const CACHE_SIZE = 5_000;
const LOOKUP_TIMEOUT_MS = 3_000;

export interface TenantGateDeps {
  /** Tenants served; empty serves every tenant (local mode). */
  readonly served: readonly string[];
  /** Whether a member's own tenant matters beyond the gate (tenants mapped to organisations). */
  readonly mapsTenants: boolean;
  readonly logger: Logger;
  /** For tests: the roster look-up; Teams' own otherwise. */
  readonly lookup?: (turn: TurnContext, userId: string) => Promise<string | undefined>;
}

export type Admission =
  | { readonly admitted: true; readonly memberTenantId?: string }
  | { readonly admitted: false; readonly reason: 'conversation' | 'member' };

/**
 * Decides whether an activity is served, and which tenant its sender belongs to.
 * @remarks In a shared channel the conversation's tenant is the host's: members from other
 * organisations write there from their own tenants. Their own tenant is read from the roster
 * (`TeamsInfo.getMember` → `tenantId`) and kept per instance, so both the channel's tenant and
 * the sender's must be served. When the roster cannot say (the member is not in it, or Teams
 * does not answer in time) the sender is refused: a shared channel's host tenant says nothing
 * about a member from elsewhere. A failed look-up is asked again after a minute.
 */
export function tenantGate(deps: TenantGateDeps) {
  const served = new Set(deps.served.map((id) => id.toLowerCase()));
  const cache = new Map<string, { tenantId: string | undefined; until: number }>();
  const lookup =
    deps.lookup ??
    (async (turn: TurnContext, userId: string) =>
      (await withTimeout(TeamsInfo.getMember(turn, userId), LOOKUP_TIMEOUT_MS)).tenantId);
  const isServed = (tenantId: string | undefined) =>
    served.size === 0 || (!!tenantId && served.has(tenantId));

  /** The sender's own tenant, from the roster of a channel (cached); undefined when unknown. */
  const rosterTenantOf = async (turn: TurnContext, userId: string): Promise<string | undefined> => {
    const now = Date.now();
    const cached = cache.get(userId);
    if (cached && cached.until > now) return cached.tenantId;
    let tenantId: string | undefined;
    let ttl = MEMBER_TENANT_TTL_MS;
    try {
      tenantId = (await lookup(turn, userId))?.toLowerCase() || undefined;
    } catch (error) {
      deps.logger.warn('tenant.member.lookup-failed', errorFields(error));
      ttl = FAILED_LOOKUP_TTL_MS;
    }
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(userId, { tenantId, until: now + ttl });
    return tenantId;
  };

  return {
    /** Tenant ids as served, for those who must check elsewhere. */
    isServed,
    async admit(turn: TurnContext): Promise<Admission> {
      const { activity } = turn;
      const conversationTenant = tenantOf(activity);
      if (!isServed(conversationTenant)) return { admitted: false, reason: 'conversation' };
      const userId = activity.from?.id;
      const checkMember =
        (served.size > 0 || deps.mapsTenants) &&
        conversationKindOf(activity) === 'channel' &&
        !!userId &&
        activity.from?.role !== 'bot';
      if (!checkMember) {
        return {
          admitted: true,
          ...(conversationTenant ? { memberTenantId: conversationTenant } : {}),
        };
      }
      const memberTenant = await rosterTenantOf(turn, userId);
      if (!memberTenant || !isServed(memberTenant)) return { admitted: false, reason: 'member' };
      return { admitted: true, memberTenantId: memberTenant };
    },
  };
}
export type TenantGate = ReturnType<typeof tenantGate>;

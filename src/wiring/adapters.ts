import type { CaseMeetings, CasePeople } from '../cases/case-ports.js';
import type { createDelivery } from '../bot/delivery-stack.js';
import type { BotAuth } from '../config.js';
import type { ChannelCards } from '../meetings/posting/channel-cards.js';
import { isAppError } from '../errors.js';
import type { MeetingQueries } from '../meetings/meetings.service.js';
import type { memberTable } from '../storage/access-tables.js';

/** The Bot Framework settings for each kind of bot identity. */
export function authSettings(auth: BotAuth): Record<string, string> {
  switch (auth.kind) {
    case 'none':
      return {};
    case 'SingleTenant':
      return {
        MicrosoftAppId: auth.appId,
        MicrosoftAppPassword: auth.password,
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: auth.tenantId,
      };
    case 'UserAssignedMSI':
      return {
        MicrosoftAppId: auth.appId,
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: auth.tenantId,
      };
  }
}

/** The meetings capability as the case use cases see it (the port they declare). */
export function caseMeetingsOf(meetings: MeetingQueries): CaseMeetings {
  return {
    async upcoming(conversationId, days) {
      return (await meetings.upcoming(conversationId, days)).map(({ series, planned }) => ({
        meetingId: series.id,
        meetingName: series.name,
        takesSlots: series.type === 'samrad',
        key: planned.key,
        date: planned.date,
        startsAt: planned.start,
        endsAt: planned.end,
        cancelled: planned.status === 'cancelled',
      }));
    },
    async occurrence(ref) {
      try {
        const { occurrence } = await meetings.occurrence(ref);
        const startsAt = new Date(occurrence.startsAt).getTime();
        return {
          endsAt: new Date(startsAt + occurrence.durationMinutes * 60_000),
          started: occurrence.state !== 'planned',
          ...(occurrence.attendance ? { attendance: occurrence.attendance } : {}),
        };
      } catch (error) {
        if (isAppError(error, 'not-found')) return undefined;
        throw error;
      }
    },
  };
}

/** Who has a role, by name, for refusals that say who can help. */
export function casePeopleOf(members: ReturnType<typeof memberTable>): CasePeople {
  return {
    async namesWithRole(role) {
      return (await members.list())
        .filter((member) => member.roles.includes(role) && member.displayName)
        .map((member) => member.displayName!)
        .sort((a, b) => a.localeCompare(b, 'sv'));
    },
  };
}

/**
 * Meeting cards in their channel: posted once per card key across instances (one attempt
 * while a click waits for its answer, inside Teams' 15 s), and updated in place.
 */
export function meetingChannelCards({
  poster,
  proactive,
  sender,
}: ReturnType<typeof createDelivery>): ChannelCards {
  return {
    async postOnce(conversationId, cardKey, build) {
      const outcome = await poster.postOnce(conversationId, cardKey, build, {
        maxAttempts: 1,
        repostUncertain: true,
      });
      switch (outcome.kind) {
        case 'posted':
        case 'too-large':
          return 'posted';
        case 'updated':
          return 'updated';
        case 'pending':
          return 'pending';
        default:
          return 'not-sent';
      }
    },
    isPosted: async (conversationId, cardKey) =>
      (await proactive.postedCard(conversationId, cardKey)) !== undefined,
    update: (conversationId, cardKey, card) => sender.updateCard(conversationId, cardKey, card),
  };
}

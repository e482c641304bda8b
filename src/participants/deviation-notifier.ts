import type { Member } from '../access/access.schema.js';
import type { OrganisationNotifier } from './participants.service.js';

/**
 * Deviations go to the personal chats of the responsible organisation's representatives
 * (role `representant`): every organisation has them, and a personal chat reaches only the
 * people entitled to know, unlike a channel shared across organisations.
 */
export function notifyRepresentatives(
  members: () => Promise<Member[]>,
  sendPersonal: (userId: string, text: string) => Promise<boolean>,
): OrganisationNotifier {
  return async (organisationId, text) => {
    const representatives = (await members()).filter(
      (m) => m.organisationId === organisationId && m.roles.includes('representant'),
    );
    let reached = 0;
    for (const member of representatives) {
      if (await sendPersonal(member.id, text)) reached++;
    }
    return reached;
  };
}

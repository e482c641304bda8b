import { expect } from 'vitest';
import { message, type TestUser } from './activities.js';

/**
 * Gives each person a role (and organisation) the way an administratör does: `/roller ge` with
 * an @mention, sent by the bootstrap administratör. Every grant must be answered.
 */
export async function grantRoles(
  bot: { post(activity: object): Promise<{ status: number }> },
  serviceUrl: string,
  grants: readonly (readonly [TestUser, string])[],
): Promise<void> {
  for (const [person, grant] of grants) {
    const response = await bot.post(
      message(`/roller ge <at>${person.name}</at> ${grant}`, { serviceUrl, mention: [person] }),
    );
    expect(response.status).toBe(200);
  }
}

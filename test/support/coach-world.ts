import { expect } from 'vitest';
import { cardAction, message, TENANT_ID, users, type TestUser } from './activities.js';
import { cardOf, cardText, FakeConnector } from './fake-connector.js';
import { startTestBot, type TestBot } from './test-bot.js';

/** A coach in Eskilstuna (länsdel Norra), next to the samordnare Anna. */
export const leila: TestUser = {
  id: '29:leila',
  name: 'Leila Coach',
  aadObjectId: 'a0000000-0000-4000-8000-000000000006',
};

/**
 * The real bot with Anna as samordnare and Leila as coach, both with a personal chat, on a fixed
 * clock: the participant register as coaches use it from their personal chat.
 */
export async function startCoachWorld(now = new Date('2026-12-01T09:00:00Z')) {
  const { anna } = users;
  const connector = await new FakeConnector().start();
  const bot: TestBot = await startTestBot(
    { ALLOWED_TENANT_IDS: TENANT_ID, BOOTSTRAP_ADMIN_IDS: anna.aadObjectId },
    { now: () => now },
  );
  /** A card action; answers the card that comes back. */
  const clickCard = async (verb: string, data: Record<string, unknown>, from: TestUser) => {
    const response = await bot.post(cardAction(verb, data, { serviceUrl: connector.url, from }));
    expect(response.status).toBe(200);
    return (response.body as { value: unknown }).value;
  };
  const click = async (verb: string, data: Record<string, unknown>, from: TestUser) =>
    cardText(await clickCard(verb, data, from));
  /** A message; answers the text of every reply. */
  const say = async (text: string, from: TestUser) => {
    connector.clear();
    await bot.post(message(text, { serviceUrl: connector.url, from }));
    return connector.messages().map((m) => cardText(cardOf(m) ?? m.body.text ?? ''));
  };
  /** Enrols a participant (no consent) in Norra with Leila as coach; answers the code. */
  const enrol = async (requestId: string, enrolledOn: string) => {
    const text = await click(
      'participants.enrol',
      {
        requestId,
        insatsId: 'sikta',
        lansdelId: 'norra',
        enrolledOn,
        gender: 'kvinna',
        responsibleOrganisationId: 'fk',
        coachId: leila.id,
        caseCode: '',
        consent: 'false',
      },
      anna,
    );
    return /koden (D-\d{4}-\d{4})/.exec(text)![1]!;
  };
  for (const user of [anna, leila]) await say('/hjälp', user);
  for (const [user, grant] of [
    [anna, 'samordnare forbundskansliet'],
    [leila, 'coach eskilstuna'],
  ] as const) {
    await bot.post(
      message(`/roller ge <at>${user.name}</at> ${grant}`, {
        serviceUrl: connector.url,
        from: anna,
        mention: [user],
      }),
    );
  }
  return {
    bot,
    connector,
    clickCard,
    click,
    say,
    enrol,
    async stop() {
      await bot.stop();
      await connector.stop();
    },
  };
}

export type CoachWorld = Awaited<ReturnType<typeof startCoachWorld>>;

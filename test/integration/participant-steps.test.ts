import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAction, message, TENANT_ID, users, type TestUser } from '../support/activities.js';
import { cardOf, cardText, FakeConnector } from '../support/fake-connector.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

/**
 * Recording steps through the real bot: every step's notice reads right in Swedish, and however
 * many steps come first, the first follow-up stays due within one month of the enrolment date
 * (the card, the notice and the coach's list say the same date) until a follow-up is recorded.
 */
const anna = users.anna;
const leila: TestUser = {
  id: '29:leila',
  name: 'Leila Coach',
  aadObjectId: 'a0000000-0000-4000-8000-000000000006',
};

interface World {
  bot: TestBot;
  connector: FakeConnector;
}
const world = {} as World;

const click = async (verb: string, data: Record<string, unknown>, from: TestUser) => {
  const response = await world.bot.post(
    cardAction(verb, data, { serviceUrl: world.connector.url, from }),
  );
  expect(response.status).toBe(200);
  return cardText((response.body as { value: unknown }).value);
};
const say = async (text: string, from: TestUser) => {
  world.connector.clear();
  await world.bot.post(message(text, { serviceUrl: world.connector.url, from }));
  return world.connector.messages().map((m) => cardText(cardOf(m) ?? m.body.text ?? ''));
};
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

beforeAll(async () => {
  world.connector = await new FakeConnector().start();
  world.bot = await startTestBot(
    { ALLOWED_TENANT_IDS: TENANT_ID, BOOTSTRAP_ADMIN_IDS: anna.aadObjectId },
    { now: () => new Date('2026-12-01T09:00:00Z') },
  );
  for (const user of [anna, leila]) await say('/hjälp', user);
  for (const [user, grant] of [
    [anna, 'samordnare forbundskansliet'],
    [leila, 'coach eskilstuna'],
  ] as const) {
    await world.bot.post(
      message(`/roller ge <at>${user.name}</at> ${grant}`, {
        serviceUrl: world.connector.url,
        from: anna,
        mention: [user],
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  await world.bot?.stop();
  await world.connector?.stop();
});

describe('recording steps', () => {
  it('when every working step is recorded before the first follow-up, then each notice reads "Steget … är registrerat" and the first follow-up stays a month after enrolment', async () => {
    const code = await enrol('req-steps-000001', '2026-11-02');
    const steps = [
      ['kartlaggning', 'kartläggning'],
      ['motiverande', 'motiverande samtal/vägledning'],
      ['studiebesok', 'studiebesök'],
      ['arbetstraning', 'arbetsträning'],
      ['arbetsprovning', 'arbetsprövning'],
    ] as const;
    for (const [i, [step, label]] of steps.entries()) {
      const text = await click(
        'participants.step',
        {
          code,
          requestId: `req-steps-step-${i}`,
          stepStep: step,
          stepOn: `2026-11-${String(3 + i * 5).padStart(2, '0')}`,
          stepWhich: '',
          stepNote: '',
        },
        leila,
      );
      expect(text).toContain(
        `Steget ${label} är registrerat (2026-11-${String(3 + i * 5).padStart(2, '0')}). Nästa uppföljning senast 2026-12-02.`,
      );
      expect(text).not.toMatch(/(Kartläggning|Arbetsträning) är registrerad?\b/);
    }
    const [list] = await say('/deltagare', leila);
    expect(list).toContain('Nästa uppföljning senast 2026-12-02');

    const followed = await click(
      'participants.followUp',
      { code, requestId: 'req-steps-followup-1', followUpOn: '2026-11-30', followUpNote: '' },
      leila,
    );
    expect(followed).toContain('Uppföljningen 2026-11-30 är registrerad. Nästa senast 2027-01-11.');
  });

  it('when steps are typed as commands, outcomes included, then the notice names the code and the step the same way', async () => {
    const code = await enrol('req-steps-000002', '2026-11-10');
    const [typed] = await say(`/deltagare steg ${code} studiebesök 2026-11-12`, leila);
    expect(typed).toContain(
      `Steget studiebesök är registrerat för ${code} (2026-11-12). Nästa uppföljning senast 2026-12-10.`,
    );
    const [outcome] = await say(`/deltagare steg ${code} arbete-sub 2026-11-20`, leila);
    expect(outcome).toContain(`Steget arbete (subventionerat) är registrerat för ${code}`);
    const [ended] = await say(`/deltagare steg ${code} avslutad 2026-11-25`, leila);
    expect(ended).toContain(
      `Steget avslutad är registrerat för ${code} (2026-11-25). Inga fler uppföljningar: deltagaren har avslutat insatsen.`,
    );
  });
});

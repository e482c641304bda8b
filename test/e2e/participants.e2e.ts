import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_USERS } from '../../scripts/local/playground.js';
import type { LocalStack } from '../../scripts/local/stack.js';
import { cardAction, message, type TestUser } from '../support/activities.js';
import { cardText, FakeConnector } from '../support/fake-connector.js';
import type { HeadlessBrowser } from './support/browser.js';
import type { PlaygroundPage } from './support/playground-page.js';
import { openTeamsSession, postToBot, type TeamsSession } from './support/session.js';

/**
 * The participant register in the local Teams client, a screenshot per card: a samordnare opens
 * a participant of Leila's, records a step through the card's form, sees it in the timeline, and
 * opens the half-year's lägesrapport.
 */
let session: TeamsSession;
let browser: HeadlessBrowser;
let teams: PlaygroundPage;
let code = '';

const anna = PLAYGROUND_USERS[0]!;
const leila = PLAYGROUND_USERS[5]!;

/** Roles and one enrolment, which the Playground (acting as Anna only) cannot do itself. */
async function enrolOne(stack: LocalStack) {
  const connector = await new FakeConnector().start();
  const as = (user: TestUser) => ({ serviceUrl: connector.url, from: user });
  await postToBot(stack, message('/hjälp', as(leila)));
  for (const [user, grant] of [
    [anna, 'samordnare forbundskansliet'],
    [leila, 'coach eskilstuna'],
  ] as const) {
    await postToBot(
      stack,
      message(`/roller ge <at>${user.name}</at> ${grant}`, { ...as(anna), mention: [user] }),
    );
  }
  const enrolled = await postToBot(
    stack,
    cardAction(
      'participants.enrol',
      {
        requestId: 'e2e-enrol-participant-1',
        insatsId: 'sikta',
        lansdelId: 'norra',
        enrolledOn: '2026-03-02',
        gender: 'kvinna',
        responsibleOrganisationId: 'fk',
        coachId: leila.id,
        consent: 'true',
        birthYear: '1988',
        kommun: 'Eskilstuna',
        referral: 'forsakringskassan',
      },
      { ...as(anna), where: { kind: 'personal' } },
    ),
  );
  code = /D-\d{4}-\d{4}/.exec(cardText(enrolled))?.[0] ?? '';
  expect(code).toMatch(/^D-2026-\d{4}$/);
  await connector.stop();
}

beforeAll(async () => {
  session = await openTeamsSession({ setup: enrolOne });
  ({ browser, teams } = session);
  await teams.openChat('Personal Chat');
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('participants and the lägesrapport in the local Teams client', () => {
  it('when the samordnare lists the register, then the participant shows with the current step', async () => {
    await teams.say('/deltagare');
    const list = await teams.expectCard(/^Alla deltagare/);
    const text = await list.innerText();
    expect(text).toContain(code);
    expect(text).toContain('Inskrivning');
    await browser.screenshot('40-participant-list', list);
  });

  it('when a step is recorded through the participant card, then the timeline shows it once', async () => {
    await teams.say(`/deltagare visa ${code}`);
    const card = await teams.expectCard(`Deltagare ${code}`);
    await browser.screenshot('41-participant', card);
    await card.getByRole('button', { name: 'Registrera steg' }).click();
    await card.getByRole('combobox').first().click();
    await browser.page.getByRole('option', { name: 'Arbetsträning' }).click();
    await card
      .getByLabel('Kort anteckning (valfri, inga personuppgifter)')
      .first()
      .fill('Start hos ny arbetsgivare');
    await browser.screenshot('42-participant-step-form', card);
    await card.getByRole('button', { name: 'Spara' }).first().click();
    const recorded = await teams.expectCard('Steget arbetsträning är registrerat');
    const text = await recorded.innerText();
    expect(text).toContain('Historik');
    expect(text.match(/Arbetsträning/g)?.length).toBeGreaterThanOrEqual(2);
    await browser.screenshot('43-participant-step-recorded', recorded);
  });

  it('when the samordnare asks for the lägesrapport, then the report card counts the participant', async () => {
    await teams.say('/rapport Norra 2026-06-30');
    const report = await teams.expectCard(/Lägesrapport · Länsdel Norra/);
    const text = await report.innerText();
    expect(text).toContain('Per 30 juni 2026');
    expect(text).toMatch(/Inskrivna sedan start\s*1/);
    await browser.screenshot('44-lagesrapport', report);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leila, startCoachWorld, type CoachWorld } from '../support/coach-world.js';

/**
 * Recording steps through the real bot: every step's notice reads right in Swedish, and however
 * many steps come first, the first follow-up stays due within one month of the enrolment date
 * (the card, the notice and the coach's list say the same date) until a follow-up is recorded.
 */
let world: CoachWorld;
const click: CoachWorld['click'] = (...args) => world.click(...args);
const say: CoachWorld['say'] = (...args) => world.say(...args);
const enrol: CoachWorld['enrol'] = (...args) => world.enrol(...args);

beforeAll(async () => {
  world = await startCoachWorld();
}, 60_000);

afterAll(async () => {
  await world?.stop();
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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardText } from '../support/fake-connector.js';
import { leila, startCoachWorld, type CoachWorld } from '../support/coach-world.js';

/**
 * The participant card after a change is built from what the change read and wrote (the header,
 * the first page of the history kept beside it), not read again; and the länsdel
 * the card names only tells where to look first. These check that the card after a change is the
 * card a fresh open shows, at and past the page boundary and with back-dated steps, and that a
 * wrong, foreign or missing länsdel on a click changes nothing about what is recorded where.
 */
let world: CoachWorld;
const clickCard: CoachWorld['clickCard'] = (...args) => world.clickCard(...args);
const enrol: CoachWorld['enrol'] = (...args) => world.enrol(...args);

beforeAll(async () => {
  world = await startCoachWorld();
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

/** What the card shows of the history: its heading line, its rows, where "Visa äldre" starts. */
const historyOf = (card: unknown) => {
  const lines = cardText(card).split('\n');
  const from = lines.findIndex((line) => line.endsWith('nyaste först.'));
  const to = lines.indexOf('Registrera steg', from);
  const rows = lines.slice(from + 1, to).filter((line) => /^20\d\d-\d\d-\d\d$/.test(line));
  const older = /"after":"([^"]+)"/.exec(JSON.stringify(card))?.[1] ?? '';
  return { heading: lines[from], lines: lines.slice(from, to), rows, older };
};

const step = (code: string, n: number, on: string, lansdel: unknown = 'norra') =>
  clickCard(
    'participants.step',
    {
      code,
      ...(lansdel === undefined ? {} : { lansdel }),
      requestId: `reads-${code}-${n}`,
      stepStep: n % 2 ? 'arbetstraning' : 'kartlaggning',
      stepOn: on,
      stepNote: `Steg ${n}: "åäö" ✨\nrad två`,
    },
    leila,
  );

describe('the participant card after a change', () => {
  it('when steps are saved up to and past the first page, with back-dated ones, then each card after a save is the card a fresh open shows', async () => {
    const code = await enrol('reads-page-1', '2026-09-01');
    const dates = ['2026-09-10', '2026-09-05', '2026-11-20', '2026-09-02'];
    for (let n = 1; n <= 24; n++) {
      const on = dates[n % dates.length]!;
      const saved = await step(code, n, on);
      const opened = await clickCard('participants.open', { code, lansdel: 'norra' }, leila);
      expect(historyOf(saved)).toEqual(historyOf(opened));
      expect(historyOf(saved).rows.length).toBe(Math.min(n + 1, 20));
    }
    const last = historyOf(await clickCard('participants.open', { code }, leila));
    expect(last.heading).toBe('De senaste: 20 av 25, nyaste först.');
    expect(last.older).toMatch(/^D-\d{4}-\d{4,6}\|\d{8}\|\d{7}$/);
  });

  it('when the click names another länsdel, none, or something that is not a länsdel, then the step is recorded on the participant where it lives and the card shows it', async () => {
    const code = await enrol('reads-hint-1', '2026-10-01');
    const hints: unknown[] = ['sodra', undefined, 'finns-inte', '../norra', 'NORRA', 42, ''];
    for (const [n, hint] of hints.entries()) {
      const text = cardText(await step(code, n + 1, '2026-10-15', hint));
      expect(text).toMatch(/Steget (arbetsträning|kartläggning) är registrerat/);
      expect(text).not.toContain('finns ingen deltagare');
    }
    const opened = historyOf(await clickCard('participants.open', { code }, leila));
    expect(opened.heading).toBe(`${hints.length + 1} händelser, nyaste först.`);
  });

  it('when the same step is clicked twice, then the second card says it was already recorded and shows one row for it', async () => {
    const code = await enrol('reads-twice-1', '2026-10-01');
    const first = await step(code, 1, '2026-10-20');
    const again = await step(code, 1, '2026-10-20');
    expect(cardText(again)).toContain('redan registrerat');
    expect(historyOf(again)).toEqual(historyOf(first));
    expect(historyOf(again).rows.length).toBe(2);
  });
});

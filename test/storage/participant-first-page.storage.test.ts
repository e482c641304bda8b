import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/access.schema.js';
import { TIMELINE_PAGE } from '../../src/participants/participants.repository.js';
import type { Step } from '../../src/participants/participants.schema.js';
import { recordEvent } from '../../src/participants/record-event.js';
import { DEFAULT_INSATSER, DEFAULT_LANSDELAR } from '../../src/program.js';
import { REMOVAL_PREFIX } from '../../src/storage/participant-report-rows.js';
import { participantRowKeys, type ParticipantStore } from '../../src/storage/participant-tables.js';
import { enrol, participantWorld, recordStep } from '../support/participant-writes.js';

/**
 * The first page of a participant's history is kept beside the header (`p|<kod>`), so a step and
 * the card after it read no history rows. It must always be the page the history rows give, and
 * a page that fell behind (or could not be kept) must never be shown.
 */
const samordnare: Principal = {
  userId: '29:samordnare',
  tenantId: 't',
  roles: ['samordnare'],
  configuredAdmin: false,
};
const TODAY = new Date('2026-11-30T10:00:00Z');
const program = { lansdelar: DEFAULT_LANSDELAR, insatser: DEFAULT_INSATSER };
const STEPS: readonly Step[] = ['kartlaggning', 'motiverande', 'arbetstraning', 'studiebesok'];

async function world() {
  const { instance, client } = await participantWorld();
  const participants = instance();
  const code = await enrol(participants, {
    lansdelId: 'norra',
    gender: 'kvinna',
    consent: true,
    enrolledOn: '2026-01-05',
    requestId: `first-page-${Date.now()}-${Math.random()}`,
  });
  const deps = { participants, program, now: () => TODAY };
  const step = (n: number, on: string, note: string) =>
    recordEvent(
      deps,
      samordnare,
      code,
      'participants.step',
      { id: `first-page-step-${n}`, kind: 'step', step: STEPS[n % STEPS.length]!, on, note },
      { lansdelHint: 'norra', withPage: true },
    );
  return { participants, client, code, step };
}

/** The kept page as `get` answers it, and the first page read from the history rows. */
async function pages(participants: ParticipantStore, code: string) {
  const stored = (await participants.get(code, 'norra', { firstPage: true }))!;
  const fromRows = await participants.timeline(stored.value, TIMELINE_PAGE);
  return { kept: stored.firstPage, fromRows };
}

/** A date in 2026 that walks forward with `n` and every third step goes back months. */
const dateOf = (n: number) => {
  const day = new Date(Date.UTC(2026, 1, 1) + (n % 3 === 2 ? -20 : n) * 86_400_000 * 0.9);
  return day.toISOString().slice(0, 10);
};

describe('the kept first page of a participant history', () => {
  it('when 45 steps are recorded, back-dated among them, with å/ä/ö, emoji, quotes and line breaks, then after each the kept page is the page the history rows give and the step answers it', async () => {
    const { participants, code, step } = await world();
    for (let n = 1; n <= 45; n++) {
      const note = `Steg ${n}: "Åsa" sa 'hej' 🌱✨\nrad två\r\n${'ö'.repeat(n * 6)}`.slice(0, 300);
      const recorded = await step(n, dateOf(n), note);
      const { kept, fromRows } = await pages(participants, code);
      expect(kept).toEqual(fromRows);
      expect(recorded.timeline).toEqual(fromRows);
      expect(fromRows.events).toHaveLength(Math.min(n + 1, TIMELINE_PAGE));
      expect(fromRows.next === undefined).toBe(n + 1 <= TIMELINE_PAGE);
    }
  });

  it('when a change does not keep the page (an older writer), then the page is not shown and the next step brings it back in step', async () => {
    const { participants, code, step } = await world();
    await step(1, '2026-02-01', 'första');
    expect((await pages(participants, code)).kept).toBeDefined();

    await recordStep(participants, code, 'motiverande', '2026-02-03');
    const behind = await pages(participants, code);
    expect(behind.kept).toBeUndefined();
    expect(behind.fromRows.events.map((e) => e.on)).toEqual([
      '2026-02-03',
      '2026-02-01',
      '2026-01-05',
    ]);

    const recorded = await step(3, '2026-02-02', 'bakåtdaterat');
    const after = await pages(participants, code);
    expect(after.kept).toEqual(after.fromRows);
    expect(recorded.timeline).toEqual(after.fromRows);
    expect(after.fromRows.events.map((e) => e.on)).toEqual([
      '2026-02-03',
      '2026-02-02',
      '2026-02-01',
      '2026-01-05',
    ]);
  });

  it('when the notes of a full page would not fit one stored property, then every step is still saved and the page is read from the history rows', async () => {
    const { participants, client, code, step } = await world();
    // A control character is stored as six characters of JSON: 20 such notes pass 32,767.
    const heavy = '\u0001'.repeat(300);
    for (let n = 1; n <= 25; n++) {
      const recorded = await step(n, dateOf(n + 3), heavy);
      expect(recorded.created).toBe(true);
      const { kept, fromRows } = await pages(participants, code);
      expect(recorded.timeline).toEqual(fromRows);
      if (kept) expect(kept).toEqual(fromRows);
    }
    const { kept, fromRows } = await pages(participants, code);
    expect(kept).toBeUndefined();
    expect(fromRows.events).toHaveLength(TIMELINE_PAGE);
    const row = await client.getEntity('norra', participantRowKeys.firstPage(code));
    expect(String(row.events).length).toBeLessThanOrEqual(32_767);
  });

  it('when a participant is removed, then the kept page goes with the header', async () => {
    const { participants, client, code, step } = await world();
    await step(1, '2026-02-01', 'första');
    await participants.remove(code);
    const left: string[] = [];
    for await (const row of client.listEntities()) {
      const key = String(row.rowKey);
      if (key.includes(code) && !key.startsWith(`${REMOVAL_PREFIX}|`)) left.push(key);
    }
    expect(left).toEqual([]);
  });
});

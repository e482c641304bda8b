import { newId } from '../../src/ids.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireCase } from '../../src/cases/case-change.js';
import { decideCase } from '../../src/cases/use-cases/decide-case.js';
import { moveCase } from '../../src/cases/use-cases/move-case.js';
import { planCase } from '../../src/cases/use-cases/plan-case.js';
import { actionData } from '../support/card-actions.js';
import { anna, erik, startCaseBot, type CaseBot } from '../support/case-bot.js';
import { cardProblems } from '../support/card-validator.js';
import { cardOf, cardText } from '../support/fake-connector.js';

/**
 * A case filled to what its forms allow (å/ä/ö, emoji, quotes, line breaks), with more history,
 * decisions and log than any one storage property could hold: every command still works and
 * every card stays within Teams' limits.
 */
const channel = '19:gransen@thread.tacv2';
const clock = { now: new Date('2026-11-23T08:00:00Z') };
const MOVES = 1_010;
const DECISIONS = 25;
const CARD_LIMIT = 40 * 1024;
const samordnare = {
  userId: anna.id,
  tenantId: 't',
  roles: ['samordnare' as const],
  configuredAdmin: false,
  organisationId: 'forbundskansliet',
  displayName: 'Anna Samordnare',
};

/** Exactly `length` UTF-16 units of Swedish text with emoji, quotes and line breaks. */
function fullText(length: number): string {
  const piece = 'Åsa-Öje ”citat” \'enkel\' "dubbel" 😀 åäö ÅÄÖ\nny rad – tankstreck & <tagg> ';
  let text = '';
  while (text.length < length) text += piece;
  text = text.slice(0, length);
  return /[\uD800-\uDBFF\s]$/.test(text) ? `${text.slice(0, -1)}x` : text;
}

let world: CaseBot;
beforeAll(async () => {
  world = await startCaseBot({
    channel,
    dates: ['2026-12-08', '2027-01-12', '2027-02-09'],
    now: () => clock.now,
  });
});
afterAll(async () => {
  await world?.stop();
});

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
const expectWithinLimits = (card: unknown) => {
  expect(bytes(card)).toBeLessThanOrEqual(CARD_LIMIT);
  expect(cardProblems(card)).toEqual([]);
};

describe('a case at the limits', () => {
  it(
    'when a full case has been moved over a thousand times and decided again and again, then every command works and every card stays within its budget',
    { timeout: 300_000 },
    async () => {
      const reason = fullText(1000);
      const insats = fullText(80);
      const { code, card: submitted } = await world.submit(erik, {
        reason,
        insats,
        urgency: 'skyndsam',
      });
      expect(cardText(submitted)).toContain(`anmält med koden ${code}`);
      const deps = world.bot.cases.deps;

      for (let i = 0; i < DECISIONS; i++) {
        await planCase(deps, samordnare, { code, key: newId() });
        await decideCase(deps, samordnare, {
          code,
          requestId: newId(),
          outcome: 'aterremiss',
          insats: fullText(80),
          motivation: fullText(500),
        });
      }
      await planCase(deps, samordnare, { code, key: newId() });
      for (let i = 0; i < MOVES; i++) {
        const date = i % 2 ? '2026-12-08' : '2027-01-12';
        await moveCase(deps, samordnare, { code, date, key: newId() });
      }
      const stored = await requireCase(deps.store, code);
      expect(stored.value.reason).toBe(reason);
      expect(stored.value.historyCount).toBeGreaterThan(1_000 + 2 * DECISIONS);
      expect(stored.decisions).toHaveLength(DECISIONS);

      const queue = cardOf((await world.say('/ärenden'))[0]);
      expect(cardText(queue)).toContain(code);
      expectWithinLimits(queue);

      const [details] = await world.say(`/ärenden visa ${code}`, anna, false);
      const detail = cardOf(details);
      expectWithinLimits(detail);
      expect(cardText(detail)).toContain(reason);
      const more = actionData(detail, 'cases.history');
      const older = await world.click('cases.history', more, anna, false);
      expectWithinLimits(older);
      expect(Number(actionData(older, 'cases.history').before)).toBeLessThan(Number(more.before));

      const [logMessage] = await world.say(`/ärenden logg ${code}`, anna, false);
      const log = cardOf(logMessage);
      expectWithinLimits(log);
      const olderLog = await world.click('cases.log', actionData(log, 'cases.log'), anna, false);
      expectWithinLimits(olderLog);
      expect(cardText(olderLog)).not.toEqual(cardText(log));

      expect(await world.replyText(`/ärenden flytta ${code} 2027-02-09`)).toContain(
        'är flyttat till',
      );
      expect(await world.replyText(`/ärenden dragen ${code}`)).toContain('markerat som draget');
      const decisionCard = cardOf((await world.say(`/ärenden beslut ${code}`))[0]);
      expectWithinLimits(decisionCard);
      const decided = await world.click('cases.decide', {
        ...actionData(decisionCard, 'cases.decide'),
        outcome: 'ko',
        insats: fullText(80),
        motivation: fullText(500),
      });
      expectWithinLimits(decided);
      expect(cardText(decided)).toContain('Beslutet är sparat: kö.');
      expect(await world.replyText(`/ärenden kö ${code} ${'Sikta'}`)).toContain(
        'kan inte bli i kö',
      );
      expect(await world.replyText(`/ärenden avsluta ${code}`)).toContain('avslutad');

      const final = await requireCase(deps.store, code);
      const parts = await world.say(`/gallring utdrag ${code}`, anna, false);
      expect(parts.length).toBeGreaterThan(1);
      for (const part of parts)
        expect(Buffer.byteLength(part.body.text ?? '', 'utf8')).toBeLessThan(28 * 1024);
      const extract = parts.map((part) => part.body.text ?? '').join('\n');
      expect(extract).toContain(JSON.stringify(reason).slice(1, -1));
      expect(extract).toContain(`"history" (${final.value.historyCount}):`);
      expect(extract).toContain(`"decisions" (${DECISIONS + 1}):`);
      expect(extract).toContain('"action":"cases.extract"');

      expect(await world.replyText(`/gallring radera ${code} bekräfta`, anna, false)).toContain(
        'är raderat',
      );
      expect(await world.replyText(`/ärenden visa ${code}`)).toContain('Det finns inget ärende');
      expect(await deps.store.log(code, { limit: 5 })).toEqual({ entries: [], more: false });
    },
  );
});

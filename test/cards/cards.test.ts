import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCard, type CardName } from '../../src/bot/card-renderer.js';
import { cardProblems } from '../support/card-validator.js';

const names = readdirSync('cards')
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.replace(/\.json$/, ''));
const fixtures = readdirSync('cards/fixtures').map((file) => file.replace(/\.json$/, ''));

describe('every card template with every fixture', () => {
  it('when templates and fixtures are listed, then each template has fixtures and each fixture a template', () => {
    expect(names.length).toBeGreaterThan(10);
    expect([...fixtures].sort()).toEqual([...names].sort());
  });

  for (const name of names) {
    const variants = JSON.parse(readFileSync(`cards/fixtures/${name}.json`, 'utf8')) as Record<
      string,
      object
    >;
    for (const [variant, data] of Object.entries(variants)) {
      it(`when ${name} is expanded with "${variant}", then the renderer accepts it and our rules hold`, () => {
        expect(cardProblems(renderCard(name as CardName, data))).toEqual([]);
      });
    }
  }
});

describe('the card checks themselves', () => {
  const good = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Hej' }] };

  it('when a card is fine, then there are no problems', () => {
    expect(cardProblems(good)).toEqual([]);
  });

  it('when an element type is unknown, then the renderer reports it', () => {
    const card = { ...good, body: [{ type: 'TextBlok', text: 'x' }] };
    expect(cardProblems(card).join()).toMatch(/renderer/);
  });

  it('when an Action.Execute has no verb or a badly formed one, then it is reported', () => {
    const card = {
      ...good,
      actions: [
        { type: 'Action.Execute', title: 'A' },
        { type: 'Action.Execute', title: 'B', verb: 'Bad Verb' },
      ],
    };
    expect(cardProblems(card).filter((p) => p.includes('verb'))).toHaveLength(2);
  });

  it('when a template expression was left unresolved or the card is too large, then it is reported', () => {
    expect(cardProblems({ ...good, body: [{ type: 'TextBlock', text: '${title}' }] })).toContain(
      'unresolved ${ in the expanded card',
    );
    const big = { ...good, body: [{ type: 'TextBlock', text: 'x'.repeat(30_000) }] };
    expect(cardProblems(big).join()).toMatch(/limit 28672/);
  });

  it('when a Teams chart has a fallback the renderer knows, then it passes; without one, or with a bad fallback, it is reported', () => {
    const chart = { type: 'Chart.Donut', title: 'Kön', data: [{ legend: 'Kvinna', value: 3 }] };
    const withFallback = { ...chart, fallback: { type: 'TextBlock', text: 'Kvinna 3' } };
    expect(cardProblems({ ...good, body: [withFallback] })).toEqual([]);
    expect(cardProblems({ ...good, body: [chart] }).join()).toMatch(/without a fallback/);
    const badFallback = { ...chart, fallback: { type: 'TextBlok', text: 'x' } };
    expect(cardProblems({ ...good, body: [badFallback] }).join()).toMatch(/renderer/);
    expect(
      cardProblems({ ...good, body: [{ ...withFallback, type: 'Chart.Bubble' }] }).join(),
    ).toMatch(/unknown chart/);
  });

  it('when the version is not 1.5, then it is reported', () => {
    expect(cardProblems({ ...good, version: '1.2' })).toContain('version is not 1.5');
  });
});

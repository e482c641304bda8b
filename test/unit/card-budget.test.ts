import { CardFactory, MessageFactory } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import {
  CARD_BUDGET_BYTES,
  checkBudget,
  serializedBytes,
  withinBudget,
} from '../../src/bot/card-budget.js';
import { cardText } from '../support/fake-connector.js';

/** A card with one text block of `text`. */
const card = (text: string) => ({
  type: 'AdaptiveCard',
  version: '1.5',
  body: [{ type: 'TextBlock', text, wrap: true }],
});
const message = (text: string) => MessageFactory.attachment(CardFactory.adaptiveCard(card(text)));

/** A message whose JSON is exactly `bytes` long, padded with `unit` (1 to 4 bytes each). */
function messageOfBytes(bytes: number, unit = 'a') {
  const empty = serializedBytes(message(''));
  const unitBytes = Buffer.byteLength(unit, 'utf8');
  const room = bytes - empty;
  const text = unit.repeat(Math.floor(room / unitBytes)) + 'a'.repeat(room % unitBytes);
  const built = message(text);
  expect(serializedBytes(built)).toBe(bytes);
  return built;
}

describe('the card byte budget', () => {
  it('when a message is exactly at the budget, then it passes, and one byte more does not', () => {
    expect(checkBudget(messageOfBytes(CARD_BUDGET_BYTES))).toEqual({
      ok: true,
      bytes: CARD_BUDGET_BYTES,
    });
    expect(checkBudget(messageOfBytes(CARD_BUDGET_BYTES + 1)).ok).toBe(false);
  });

  it('when the text is å, ä, ö and emoji, then bytes are counted as UTF-8, not as characters', () => {
    const swedish = message('åäö'.repeat(10));
    const emoji = message('🙂'.repeat(10));
    expect(serializedBytes(swedish) - serializedBytes(message(''))).toBe(60);
    expect(serializedBytes(emoji) - serializedBytes(message(''))).toBe(40);
    expect(checkBudget(messageOfBytes(CARD_BUDGET_BYTES + 2, 'ö')).ok).toBe(false);
  });

  it('when quotes and line breaks are in the text, then their JSON escapes count too', () => {
    const plain = serializedBytes(message('ab'));
    expect(serializedBytes(message('"\n'))).toBe(plain + 2);
  });

  it('when a message is over the budget, then the short Swedish notice goes instead and says how to see the details', () => {
    const big = { ...messageOfBytes(CARD_BUDGET_BYTES + 500), text: 'rubrik' };
    const fitted = withinBudget(big, 'Skriv /deltagare visa D-2026-0001 i chatten med boten.');
    expect(fitted).not.toBe(big);
    expect(checkBudget(fitted).ok).toBe(true);
    const text = cardText(fitted.attachments?.[0]?.content);
    expect(text).toContain('Innehållet är för stort för att visas här');
    expect(text).toContain('Skriv /deltagare visa D-2026-0001 i chatten med boten.');
    expect(fitted.text).toBeUndefined();
    expect(text.normalize('NFC')).toBe(text);
  });

  it('when a card action answers with a card over the budget, then the answer carries the notice card instead', () => {
    const invoke = {
      type: 'invokeResponse',
      value: {
        status: 200,
        body: {
          statusCode: 200,
          type: 'application/vnd.microsoft.card.adaptive',
          value: card('x'.repeat(CARD_BUDGET_BYTES)),
        },
      },
    };
    const fitted = withinBudget(invoke);
    const body = (fitted.value as { body: { type: string; value: unknown } }).body;
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(body.value)).toContain('Kortet blev större än Teams tillåter');
    expect(checkBudget(fitted).ok).toBe(true);
  });

  it('when the oversize card carried a notice of what just happened, then the short card keeps it, with its tone', () => {
    const agenda = (notice: string, color: string) => ({
      type: 'invokeResponse',
      value: {
        status: 200,
        body: {
          statusCode: 200,
          type: 'application/vnd.microsoft.card.adaptive',
          value: {
            type: 'AdaptiveCard',
            version: '1.5',
            body: [
              { type: 'TextBlock', text: 'Kallelse · Referensgrupp', weight: 'Bolder' },
              { type: 'TextBlock', text: notice, color, wrap: true },
              { type: 'TextBlock', text: 'x'.repeat(CARD_BUDGET_BYTES) },
            ],
          },
        },
      },
    });
    const carried = (value: unknown) => (value as { body: { value: { body: unknown[] } } }).body;
    const saved = withinBudget(agenda('”Punkt 7 – ”citat” 🙂” är tillagd.', 'Good'));
    const savedCard = carried(saved.value).value;
    expect(cardText(savedCard)).toContain('”Punkt 7 – ”citat” 🙂” är tillagd.');
    expect(savedCard.body[0]).toMatchObject({ color: 'Good' });
    const refused = withinBudget(
      agenda('Någon annan ändrade samma sak precis samtidigt.', 'Attention'),
    );
    expect(carried(refused.value).value.body[0]).toMatchObject({
      text: 'Någon annan ändrade samma sak precis samtidigt.',
      color: 'Attention',
    });
    const plain = withinBudget(message('y'.repeat(CARD_BUDGET_BYTES)));
    expect(cardText(plain.attachments?.[0]?.content)).not.toContain('y');
  });

  it('when a message or answer fits, then it is passed on untouched (the same object)', () => {
    const small = message('Dagordning');
    expect(withinBudget(small)).toBe(small);
    const typing = { type: 'typing' };
    expect(withinBudget(typing)).toBe(typing);
    const text = {
      type: 'invokeResponse',
      value: { status: 200, body: { type: 'x', value: 'y' } },
    };
    expect(withinBudget(text)).toBe(text);
  });
});

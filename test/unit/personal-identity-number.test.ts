import { describe, expect, it } from 'vitest';
import { containsPersonalIdentityNumber } from '../../src/privacy/personal-identity-number.js';

describe('personnummer and samordningsnummer in free text', () => {
  it.each([
    ['10 digits with hyphen', 'Gäller 811218-9876 inför mötet'],
    ['10 digits without separator', 'pnr 8112189876'],
    ['12 digits', 'Personen 198112189876 behöver stöd'],
    ['12 digits with hyphen', '19811218-9876'],
    ['plus for someone over 100', '121212+1212'],
    ['a space before the last four', '811218 9876'],
    ['samordningsnummer (day + 60)', 'samordningsnummer 701063-2391'],
    ['a test personnummer from Skatteverket', '19121212-1212'],
    ['full-width digits', '８１１２１８-９８７６'],
  ])('when the text has %s, then it is found', (_what, text) => {
    expect(containsPersonalIdentityNumber(text)).toBe(true);
  });

  it.each([
    ['a wrong check digit', '811218-9875'],
    ['an impossible date', '811232-9876'],
    ['a meeting date and time', 'Mötet 2026-11-22 kl 14.00'],
    ['a phone number', 'Ring 070-123 45 67'],
    ['a case code', 'Ärende Ä-2026-0042'],
    ['an amount', 'Budget 1 250 000 kr'],
    ['digits inside a longer number', '1234567811218987612'],
  ])('when the text has %s, then it is not mistaken for one', (_what, text) => {
    expect(containsPersonalIdentityNumber(text)).toBe(false);
  });
});

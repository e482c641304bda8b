import { describe, expect, it } from 'vitest';
import { detectionForm } from '../../src/privacy/detection-form.js';
import { containsPersonName } from '../../src/privacy/person-names.js';
import { containsPersonalIdentityNumber } from '../../src/privacy/personal-identity-number.js';
import {
  dateThenFourDigits,
  identityNumbers,
  independentlyValid,
  lookAlikes,
  writtenForms,
} from '../support/identity-corpus.js';
import { ORDINARY_TEXTS } from '../support/ordinary-text.js';

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

describe('every written form, on the detection form', () => {
  const numbers = identityNumbers(60);

  it('when a valid number is written in any of the forms people use, then it is found', () => {
    const missed = numbers.flatMap((number) =>
      writtenForms(number)
        .filter(({ text }) => !containsPersonalIdentityNumber(text))
        .map(({ form }) => `${number.kind} ${form}`),
    );
    expect(missed).toEqual([]);
  });

  it('when an ordinary number only looks like one, then it passes', () => {
    const alikes = lookAlikes();
    expect(alikes.filter(({ text }) => independentlyValid(text))).toEqual([]);
    expect(alikes.filter(({ text }) => containsPersonalIdentityNumber(text))).toEqual([]);
  });

  it('when the text is the issue example with a non-breaking hyphen, then it is found', () => {
    expect(containsPersonalIdentityNumber('Punkt om 800128\u20111206')).toBe(true);
    expect(containsPersonalIdentityNumber('Punkt om 800128 - 1206')).toBe(true);
    expect(containsPersonalIdentityNumber('1980-01-28-1206')).toBe(true);
  });

  it('when a hyphenated date is followed by a space and four digits, then it is a date and a time or a year, not a number', () => {
    for (const date of ['2024-05-06', '2025-03-01', '1999-12-31']) {
      expect(containsPersonalIdentityNumber(dateThenFourDigits(date))).toBe(false);
    }
    expect(containsPersonalIdentityNumber('1980-01-28-1206')).toBe(true);
  });

  it('when a number follows a date that looks like the start of one, then it is still found', () => {
    expect(containsPersonalIdentityNumber('/rapport Norra 2026-06-30 1970-07-19-5907')).toBe(true);
    expect(containsPersonalIdentityNumber('2026-06-30 7007195907')).toBe(true);
  });
});

describe('detection form', () => {
  it('when text has dashes, other digits, format characters and spaced separators, then they become one form', () => {
    expect(detectionForm('٨٠٠١٢٨ – ١٢٠٦ 8\u200b0\u00ad1 ８')).toBe('800128-1206 801 8');
    expect(detectionForm('a\u2011b\u2212c\u2014d')).toBe('a-b-c-d');
  });
});

describe('names of participants', () => {
  it.each([
    ['Anna Lindqvist behöver stöd'],
    ['Träffade Mohammed Ali igår'],
    ['Eva-Lena Karlsson'],
    ['Möte med Per Svensson om arbetsträning'],
  ])('when the text reads as a name (%s), then it is found', (text) => {
    expect(containsPersonName(text)).toBe(true);
  });

  it.each([
    ['Region Sörmland och Försäkringskassan'],
    ['Kostnad per Månad'],
    ['anna lindqvist (skrivet med gemener räknas inte)'],
    ['Kontakt med Anna. Hon återkommer'],
    ['Sikta mot arbetslivet i Eskilstuna'],
  ])('when the text has no name (%s), then it passes', (text) => {
    expect(containsPersonName(text)).toBe(false);
  });
});

describe('how often ordinary text is taken for a name', () => {
  it('when ordinary case and participant text is checked, then almost none of it is refused, and the rate is reported', () => {
    const refused = ORDINARY_TEXTS.filter((text) => containsPersonName(text));
    const rate = refused.length / ORDINARY_TEXTS.length;
    console.log(
      `Namnkontroll: ${refused.length} av ${ORDINARY_TEXTS.length} vanliga texter nekades (${(rate * 100).toFixed(1)} %)`,
    );
    expect(rate).toBeLessThanOrEqual(0.02);
  });
});

import { describe, expect, it } from 'vitest';
import { findOrganisation, defaultOrganisations } from '../../src/organisations.js';
import { parseRole } from '../../src/access/access.schema.js';
import { decodeKey, encodeKey } from '../../src/storage/keys.js';
import { foldForLookup, normaliseText, slugify } from '../../src/text.js';

describe('text', () => {
  it('when text arrives decomposed (NFD), then it is composed (NFC) and spaces are folded', () => {
    expect(normaliseText('  Stra\u0308ngna\u0308s \t kommun ')).toBe('Strängnäs kommun');
  });

  it('when names are folded for look-up, then case and diacritics do not matter', () => {
    expect(foldForLookup('ÖVERTORNEÅ')).toBe('overtornea');
    expect(slugify('Strängnäs kommun')).toBe('strangnas-kommun');
  });

  it('when a role is written in Swedish with or without ö, then it is understood', () => {
    expect(parseRole('Observatör')).toBe('observator');
    expect(parseRole('observator')).toBe('observator');
    expect(parseRole('Administratör')).toBe('admin');
    expect(parseRole('kung')).toBeUndefined();
  });

  it('when an organisation is named by alias, name or kommun, then it is found', () => {
    const orgs = defaultOrganisations(['Strängnäs', 'Eskilstuna']);
    expect(findOrganisation(orgs, 'FK')?.name).toBe('Försäkringskassan');
    expect(findOrganisation(orgs, 'psykiatrin')?.id).toBe('region');
    expect(findOrganisation(orgs, 'strangnas')?.name).toBe('Strängnäs kommun');
    expect(findOrganisation(orgs, 'Strängnäs kommun')?.id).toBe('kommun-strangnas');
    expect(findOrganisation(orgs, 'Atlantis')).toBeUndefined();
  });
});

describe('table keys', () => {
  it.each([
    '19:abc@thread.tacv2;messageid=1700000000000',
    'a/b\\c#d?e%f',
    'tab\there\u0001',
    'Strängnäs',
  ])('when "%s" is encoded, then it has no forbidden characters and decodes back', (value) => {
    const key = encodeKey(value);
    expect([...key].some((char) => '/\\#?'.includes(char) || char.charCodeAt(0) < 0x20)).toBe(
      false,
    );
    expect(decodeKey(key)).toBe(value);
  });

  it('when a key is empty, then it is refused', () => {
    expect(() => encodeKey('')).toThrow();
  });
});

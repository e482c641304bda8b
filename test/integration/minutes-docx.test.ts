import mammoth from 'mammoth';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { minutesDocx, type MinutesSnapshot } from '../../src/documents/minutes-docx.js';
import type { Minutes } from '../../src/meetings/cards/minutes-cards.js';

/** The meetings capability's minutes view-model must fit the snapshot as it is. */
type FitsSnapshot = Minutes extends MinutesSnapshot ? true : never;
const fits: FitsSnapshot = true;

const textOf = async (bytes: Buffer) => (await mammoth.extractRawText({ buffer: bytes })).value;
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

function snapshot(overrides: Partial<MinutesSnapshot> = {}): MinutesSnapshot {
  return {
    title: 'Referensgrupp Sikta mot arbetslivet',
    when: 'tisdag 12 januari kl. 13:00',
    place: 'Teams-möte (länk i kalendern)',
    attendanceText: 'Försäkringskassan, Eskilstuna kommun, Strängnäs kommun',
    closedText: 'Anna Samordnare, tis 12 jan. 14:30',
    items: [
      {
        number: 1,
        title: 'Gemensam kartläggning "Steg 1" 🚀',
        notes: 'Genomgång av mallen.\nÅtgärder för Östra länsdelen – se bilaga.',
        decisions: [
          {
            label: 'Beslut',
            text: 'Mallen används från februari.',
            byline: 'Beslutat av Anna Samordnare, tis 12 jan. 13:30',
          },
          {
            label: 'Rättelse',
            text: 'Mallen används från mars.',
            byline: 'Rättat av Anna Samordnare, ons 13 jan. 09:00',
          },
        ],
      },
      { number: 2, title: 'Arbetsträning i kommunen', notes: '', decisions: [] },
    ],
    actionItems: [
      {
        what: 'Skicka ut mallen till alla parter',
        owner: 'Erik Försäkringskassan',
        due: '2027-01-20',
      },
      {
        what: 'Boka möte med psykiatrins samordnare',
        owner: 'Maria Psykiatrin',
        due: '2027-01-05',
      },
    ],
    carriedOver: [{ title: 'Remissvägar från psykiatrin' }],
    ...overrides,
  };
}

describe('the minnesanteckningar as a Word file', () => {
  it('when a closed meeting is written out, then the Word file reads back with every part in order, å/ä/ö, quotes and emoji intact', async () => {
    expect(fits).toBe(true);
    const bytes = await minutesDocx(snapshot());
    const zip = await JSZip.loadAsync(bytes);
    expect(Object.keys(zip.files)).toContain('word/document.xml');
    expect(await zip.file('word/styles.xml')!.async('string')).toContain('sv-SE');
    const text = lines(await textOf(bytes));
    expect(text.slice(0, 6)).toEqual([
      'Minnesanteckningar: Referensgrupp Sikta mot arbetslivet',
      'När: tisdag 12 januari kl. 13:00',
      'Var: Teams-möte (länk i kalendern)',
      'Närvarande: Försäkringskassan, Eskilstuna kommun, Strängnäs kommun',
      'Avslutat: Anna Samordnare, tis 12 jan. 14:30',
      'Punkter',
    ]);
    const at = (line: string) => text.indexOf(line);
    expect(at('§ 1 Gemensam kartläggning "Steg 1" 🚀')).toBeGreaterThan(at('Punkter'));
    expect(at('Genomgång av mallen.')).toBeGreaterThan(at('§ 1 Gemensam kartläggning "Steg 1" 🚀'));
    expect(at('Åtgärder för Östra länsdelen – se bilaga.')).toBe(at('Genomgång av mallen.') + 1);
    expect(at('Beslut: Mallen används från februari.')).toBeLessThan(
      at('Rättelse: Mallen används från mars.'),
    );
    expect(at('§ 2 Arbetsträning i kommunen')).toBeGreaterThan(
      at('Rättat av Anna Samordnare, ons 13 jan. 09:00'),
    );
    expect(text.slice(at('Uppgifter'), at('Uppgifter') + 10)).toEqual([
      'Uppgifter',
      'Uppgift',
      'Ansvarig',
      'Klar senast',
      'Skicka ut mallen till alla parter',
      'Erik Försäkringskassan',
      '2027-01-20',
      'Boka möte med psykiatrins samordnare',
      'Maria Psykiatrin',
      '2027-01-05',
    ]);
    expect(text.slice(-2)).toEqual(['Flyttas till nästa möte', 'Remissvägar från psykiatrin']);
  });

  it('when nothing was recorded, then the file says so and has no empty sections', async () => {
    const text = lines(
      await textOf(await minutesDocx(snapshot({ items: [], actionItems: [], carriedOver: [] }))),
    );
    expect(text.at(-1)).toBe('Inga punkter behandlades.');
    expect(text).not.toContain('Uppgifter');
    expect(text).not.toContain('Flyttas till nästa möte');
  });

  it('when a full meeting has 40 items with long notes and many decisions, then every item and decision is in the file', async () => {
    const long = 'Anteckning med "citat", radbrytning\noch åäö '.repeat(45).slice(0, 2000);
    const items = Array.from({ length: 40 }, (_, i) => ({
      number: i + 1,
      title: `Punkt ${i + 1} ${'ö'.repeat(180)}`,
      notes: long,
      decisions: Array.from({ length: 3 }, (_, d) => ({
        label: 'Beslut',
        text: `Beslut ${i + 1}.${d + 1} ${'ä'.repeat(280)}`,
        byline: 'Beslutat av Anna Samordnare, tis 12 jan. 13:30',
      })),
    }));
    const bytes = await minutesDocx(snapshot({ items }));
    const text = await textOf(bytes);
    for (const item of items) {
      expect(text).toContain(`§ ${item.number} ${item.title}`);
      for (const decision of item.decisions) expect(text).toContain(`Beslut: ${decision.text}`);
    }
    expect(bytes.length).toBeLessThan(2 * 1024 * 1024);
  });
});

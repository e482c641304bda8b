import { describe, expect, it } from 'vitest';
import { defaultOrganisations } from '../../src/organisations.js';
import { parseCaseCommand } from '../../src/cases/cases.arguments.js';
import { isAppError } from '../../src/errors.js';

const organisations = defaultOrganisations(['Eskilstuna', 'Strängnäs']);
const parse = (text: string) => parseCaseCommand(text.split(' ').filter(Boolean), organisations);
const refusal = (text: string) => {
  try {
    parse(text);
    return '';
  } catch (error) {
    return isAppError(error, 'invalid-input') ? (error.userMessage ?? '') : String(error);
  }
};

describe('/ärenden arguments', () => {
  it('when a code is written in lower case, ASCII or without leading zeros, then it is read as the canonical code', () => {
    expect(parse('visa ä-2026-42')).toEqual({ kind: 'show', code: 'Ä-2026-0042' });
    expect(parse('VISA A-2026-0042')).toEqual({ kind: 'show', code: 'Ä-2026-0042' });
  });

  it('when planning has a date and a samråd time, then both are kept; without them the next meeting is meant', () => {
    expect(parse('planera Ä-2026-0001 2026-12-08 13:30')).toEqual({
      kind: 'plan',
      code: 'Ä-2026-0001',
      date: '2026-12-08',
      slot: '13:30',
    });
    expect(parse('planera Ä-2026-0001')).toEqual({ kind: 'plan', code: 'Ä-2026-0001' });
  });

  it('when filters name an organisation, a status and a date in any order, then the list is filtered by all three', () => {
    expect(parse('2026-12-08 strängnäs kö')).toEqual({
      kind: 'list',
      filter: { meetingDate: '2026-12-08', status: 'iko', organisationId: 'kommun-strangnas' },
    });
    expect(parse('fk Återremitterad')).toEqual({
      kind: 'list',
      filter: { organisationId: 'fk', status: 'aterremitterad' },
    });
  });

  it('when something is mistyped, then the refusal says what was wrong and the right form, never quoting it', () => {
    const cases: [string, string, string][] = [
      ['visa 2031-7777', 'Ärendekoder skrivs Ä-ÅÅÅÅ-NNNN', '7777'],
      ['logg 19811218-9876', 'Ärendekoder skrivs Ä-ÅÅÅÅ-NNNN', '19811218'],
      ['flytta Ä-2026-0001', '/ärenden flytta Ä-2026-0042 2026-12-08', ''],
      ['flytta Ä-2026-0001 8/12', 'Skriv datumet som ÅÅÅÅ-MM-DD', '8/12'],
      ['planera Ä-2026-0001 811218-9876', 'Skriv datumet som ÅÅÅÅ-MM-DD', '811218'],
      ['planera Ä-2026-0001 2026-12-08 halv tre', 'För många ord', 'halv'],
      ['planera Ä-2026-0001 2026-12-08 25:00', 'Skriv tiden som TT:MM', '25:00'],
      ['avsluta Ä-2026-0001 nu', 'För många ord', ' nu'],
      ['fk fk', 'känns inte igen', '”'],
      ['19811218-9876', 'känns inte igen', '19811218'],
      ['ny extra', 'För många ord', 'extra'],
    ];
    for (const [text, says, notQuoted] of cases) {
      const answer = refusal(text);
      expect(answer, text).toContain(says);
      if (notQuoted) expect(answer, text).not.toContain(notQuoted);
    }
  });
});

describe('/ärenden kö', () => {
  it('when kö is followed by a code and an insats, then the case is to be queued; otherwise the list is meant', () => {
    expect(parse('kö ä-2026-7 Sikta mot arbetslivet')).toEqual({
      kind: 'enqueue',
      code: 'Ä-2026-0007',
      insats: 'Sikta mot arbetslivet',
    });
    expect(parse('ko Sikta')).toEqual({ kind: 'queue', insats: 'Sikta' });
    expect(parse('kö')).toEqual({ kind: 'queue' });
    expect(refusal('kö Ä-2026-0007')).toContain('Skriv vilken insats kön gäller');
  });
});

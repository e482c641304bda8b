import { describe, expect, it } from 'vitest';
import { defaultOrganisations } from '../../src/access/organisations.js';
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

  it('when something is mistyped, then the refusal names the word and shows the right form', () => {
    expect(refusal('visa 2026-0042')).toContain(
      '”2026-0042” är ingen ärendekod. Koden skrivs som Ä-2026-0042',
    );
    expect(refusal('flytta Ä-2026-0001')).toContain('/ärenden flytta Ä-2026-0042 2026-12-08');
    expect(refusal('flytta Ä-2026-0001 8/12')).toContain('”8/12” är inget datum');
    expect(refusal('planera Ä-2026-0001 2026-12-08 halv tre')).toContain('För många ord');
    expect(refusal('planera Ä-2026-0001 2026-12-08 25:00')).toContain('”25:00” är ingen tid');
    expect(refusal('avsluta Ä-2026-0001 nu')).toContain('För många ord');
    expect(refusal('fk fk')).toContain('”fk” känns inte igen');
    expect(refusal('ny extra')).toContain('För många ord');
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

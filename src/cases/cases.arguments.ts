import type { Organisation } from '../access/access.schema.js';
import { findOrganisation } from '../organisations.js';
import { invalidInput } from '../errors.js';
import { localDateSchema, localTimeSchema } from '../schedule/schedule.schema.js';
import { foldForLookup } from '../text.js';
import { caseStatusLabels, CASE_STATUSES, parseCaseCode, type CaseStatus } from './cases.schema.js';
import type { CaseFilter } from './use-cases/open-queue.js';

/** What `/ärenden …` asks for, parsed strictly. */
export type CaseCommand =
  | { kind: 'list'; filter: CaseFilter }
  | { kind: 'help' }
  | { kind: 'new' }
  | { kind: 'queue'; insats?: string }
  | { kind: 'enqueue'; code: string; insats: string }
  | { kind: 'show'; code: string }
  | { kind: 'log'; code: string }
  | { kind: 'plan'; code: string; date?: string; slot?: string }
  | { kind: 'move'; code: string; date: string; slot?: string }
  | { kind: 'present'; code: string }
  | { kind: 'decide'; code: string }
  | { kind: 'close'; code: string };

export const CASE_USAGE = [
  '/ärenden – öppna ärenden för mötena här, per status',
  '/ärenden [organisation] [status] [datum] – filtrera, t.ex. /ärenden fk planerad 2026-12-08',
  '/ärenden ny – anmäl ett ärende (kräver samtycke)',
  '/ärenden kö [insats] – väntelistan med plats i kön',
  '/ärenden kö Ä-2026-0042 Sikta mot arbetslivet – sätt ett inkommet ärende i kö till en insats som är full',
  '/ärenden visa Ä-2026-0042 – ärendet med historik (i din chatt med boten)',
  '/ärenden planera Ä-2026-0042 [datum] [TT:MM] – planera till ett möte (tid för samråd)',
  '/ärenden flytta Ä-2026-0042 2026-12-08 – flytta till ett annat möte',
  '/ärenden dragen Ä-2026-0042 – markera att ärendet har dragits',
  '/ärenden beslut Ä-2026-0042 – beslutskortet med närvaro',
  '/ärenden avsluta Ä-2026-0042 – avsluta ärendet',
  '/ärenden logg Ä-2026-0042 – granskningsloggen (samordnare)',
] as const;

const needsCode: Record<
  string,
  Exclude<CaseCommand['kind'], 'list' | 'help' | 'new' | 'queue' | 'enqueue'>
> = {
  visa: 'show',
  logg: 'log',
  planera: 'plan',
  flytta: 'move',
  dragen: 'present',
  beslut: 'decide',
  avsluta: 'close',
};

/**
 * Reads a case code forgivingly in case and in `Ä`/`A`, strictly in shape: `Ä-2026-42` becomes
 * `Ä-2026-0042`; anything else is refused with the right form.
 */

function parseDate(word: string, usage: string): string {
  if (!localDateSchema.safeParse(word).success) {
    throw invalidInput(
      `Datumet går inte att läsa. Skriv datumet som ÅÅÅÅ-MM-DD, till exempel: ${usage}`,
    );
  }
  return word;
}

function parseTime(word: string | undefined, usage: string): string | undefined {
  if (word === undefined) return undefined;
  if (!localTimeSchema.safeParse(word).success) {
    throw invalidInput(`Tiden går inte att läsa. Skriv tiden som TT:MM, till exempel: ${usage}`);
  }
  return word;
}

function statusOf(word: string): CaseStatus | undefined {
  const folded = foldForLookup(word).replace(/\s/g, '');
  if (folded === 'ko') return 'iko';
  return CASE_STATUSES.find(
    (status) =>
      status === folded || foldForLookup(caseStatusLabels[status]).replace(/\s/g, '') === folded,
  );
}

function tooMany(args: readonly string[], max: number, usage: string): void {
  if (args.length > max) {
    throw invalidInput(`För många ord efter kommandot. Skriv till exempel: ${usage}`);
  }
}

/** Parses the words after `/ärenden`. Every mistake names what was wrong and the right form. */
export function parseCaseCommand(
  args: readonly string[],
  organisations: readonly Organisation[],
): CaseCommand {
  const [first, ...rest] = args;
  if (first === undefined) return { kind: 'list', filter: {} };
  const word = foldForLookup(first);
  if (word === 'hjalp' || word === 'help') return { kind: 'help' };
  if (word === 'ny') {
    tooMany(rest, 0, '/ärenden ny');
    return { kind: 'new' };
  }
  if (word === 'ko') {
    if (rest[0] !== undefined && /^[äa]-\d/iu.test(rest[0])) {
      const code = parseCaseCode(rest[0], '/ärenden kö Ä-2026-0042 Sikta mot arbetslivet');
      const insats = rest.slice(1).join(' ').trim();
      if (!insats) {
        throw invalidInput(
          'Skriv vilken insats kön gäller, till exempel: /ärenden kö Ä-2026-0042 Sikta mot arbetslivet',
        );
      }
      if (insats.length > 80) throw invalidInput('Insatsens namn är för långt: högst 80 tecken.');
      return { kind: 'enqueue', code, insats };
    }
    const insats = rest.join(' ').trim();
    if (insats.length > 80) throw invalidInput('Insatsens namn är för långt: högst 80 tecken.');
    return insats ? { kind: 'queue', insats } : { kind: 'queue' };
  }
  const kind = needsCode[word];
  if (kind) {
    const example = `/ärenden ${word} Ä-2026-0042`;
    const code = parseCaseCode(rest[0], example);
    switch (kind) {
      case 'plan': {
        tooMany(rest, 3, '/ärenden planera Ä-2026-0042 2026-12-08');
        const date = rest[1]
          ? parseDate(rest[1], '/ärenden planera Ä-2026-0042 2026-12-08')
          : undefined;
        const slot = parseTime(rest[2], '/ärenden planera Ä-2026-0042 2026-12-08 13:30');
        return { kind, code, ...(date ? { date } : {}), ...(slot ? { slot } : {}) };
      }
      case 'move': {
        tooMany(rest, 3, '/ärenden flytta Ä-2026-0042 2026-12-08');
        if (!rest[1]) {
          throw invalidInput(
            'Skriv vilket datum ärendet ska flyttas till, till exempel: /ärenden flytta Ä-2026-0042 2026-12-08',
          );
        }
        const date = parseDate(rest[1], '/ärenden flytta Ä-2026-0042 2026-12-08');
        const slot = parseTime(rest[2], '/ärenden flytta Ä-2026-0042 2026-12-08 13:30');
        return { kind, code, date, ...(slot ? { slot } : {}) };
      }
      default:
        tooMany(rest, 1, example);
        return { kind, code };
    }
  }

  const filter: { organisationId?: string; status?: CaseStatus; meetingDate?: string } = {};
  for (const part of args) {
    const status = statusOf(part);
    const organisation = status ? undefined : findOrganisation(organisations, part);
    if (status && !filter.status) filter.status = status;
    else if (organisation && !filter.organisationId) filter.organisationId = organisation.id;
    else if (/^\d{4}-\d{2}-\d{2}$/.test(part) && !filter.meetingDate) {
      filter.meetingDate = parseDate(part, '/ärenden 2026-12-08');
    } else {
      throw invalidInput(
        'Ett av orden känns inte igen som kommando, organisation, status eller mötesdatum. Skriv /ärenden hjälp för kommandona, eller filtrera med organisation, status och mötesdatum (ÅÅÅÅ-MM-DD), till exempel: /ärenden fk planerad 2026-12-08',
      );
    }
  }
  return { kind: 'list', filter };
}

export { parseCaseCode };

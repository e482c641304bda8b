import { invalidInput } from '../errors.js';
import { coachesOf, findKommun, findLansdel, type Lansdel, type Program } from '../program.js';
import { foldForLookup } from '../text.js';
import type { FlowPlan } from './lagesrapport.js';
import { parseCutOff } from './report-period.js';

/** What a lägesrapport covers: the whole förbund, one länsdel or one kommun. */
export type ReportScope =
  | { readonly kind: 'forbund' }
  | { readonly kind: 'lansdel'; readonly lansdel: Lansdel }
  | { readonly kind: 'kommun'; readonly lansdel: Lansdel; readonly kommun: string };

const ALL_WORDS = new Set(['alla', 'hela', 'forbundet', 'hela-forbundet']);

/** A scope as a card carries it: `alla`, `lansdel:norra`, `kommun:strangnas`. */
export function scopeKey(scope: ReportScope): string {
  switch (scope.kind) {
    case 'forbund':
      return 'alla';
    case 'lansdel':
      return `lansdel:${scope.lansdel.id}`;
    case 'kommun':
      return `kommun:${foldForLookup(scope.kommun)}`;
  }
}

export function scopeName(scope: ReportScope): string {
  switch (scope.kind) {
    case 'forbund':
      return 'Hela förbundet';
    case 'lansdel':
      return `Länsdel ${scope.lansdel.name}`;
    case 'kommun':
      return `${scope.kommun} (länsdel ${scope.lansdel.name})`;
  }
}

/** The scope a card sent back, or undefined when the program no longer has it. */
export function scopeFromKey(program: Program, key: string): ReportScope | undefined {
  if (key === 'alla') return { kind: 'forbund' };
  const [kind, id] = key.split(':');
  if (kind === 'lansdel' && id) {
    const lansdel = program.lansdelar.find((l) => l.id === id);
    return lansdel ? { kind: 'lansdel', lansdel } : undefined;
  }
  if (kind === 'kommun' && id) {
    const found = findKommun(program, id);
    return found ? { kind: 'kommun', ...found } : undefined;
  }
  return undefined;
}

export function lansdelarOf(program: Program, scope: ReportScope): readonly Lansdel[] {
  return scope.kind === 'forbund' ? program.lansdelar : [scope.lansdel];
}

/** The plans the scope's flow is measured against. */
export function plansOf(program: Program, scope: ReportScope): FlowPlan[] {
  if (scope.kind === 'kommun') return [kommunPlan(scope.lansdel, scope.kommun)];
  return lansdelarOf(program, scope).map((l) => ({
    coaches: coachesOf(l),
    participantsPerCoach: l.participantsPerCoach,
    planYears: l.planYears,
    plannedFlow: l.plannedFlow,
    startDate: l.startDate,
  }));
}

/** A kommun's plan: only when the länsdel gives its coaches per kommun. */
export function kommunPlan(lansdel: Lansdel, kommun: string): FlowPlan {
  return {
    coaches: coachesOf(lansdel, kommun),
    participantsPerCoach: lansdel.participantsPerCoach,
    planYears: lansdel.planYears,
    startDate: lansdel.startDate,
  };
}

export interface ReportArgs {
  readonly scope: ReportScope;
  /** Absent: the default cut-off (the half-year to date, or the latest half-year with data). */
  readonly asOf?: string;
}

/**
 * Reads `/rapport [länsdel|kommun|alla] [datum]` in either order. Nothing the user typed is
 * quoted back: a refusal says what is accepted and how dates are written.
 */
export function parseReportArgs(program: Program, args: readonly string[]): ReportArgs {
  let scope: ReportScope | undefined;
  let asOf: string | undefined;
  const scopes = () =>
    `Skriv en länsdel (${program.lansdelar.map((l) => l.name).join(', ')}), en kommun i förbundet eller inget för hela förbundet`;
  for (const word of args) {
    const cutOff = parseCutOff(word);
    if (cutOff.kind === 'bad-date') {
      throw invalidInput(
        'Datumet finns inte. Datum skrivs ÅÅÅÅ-MM-DD, till exempel 2026-06-30 (eller 2026h1 för 30 juni, 2026h2 för 31 december).',
      );
    }
    if (cutOff.kind === 'date') {
      if (asOf) throw invalidInput('Skriv bara ett datum, till exempel /rapport Norra 2026-06-30.');
      asOf = cutOff.date;
      continue;
    }
    if (scope) throw invalidInput(`Skriv bara en länsdel eller kommun. ${scopes()}.`);
    const lansdel = findLansdel(program, word);
    const kommun = lansdel ? undefined : findKommun(program, word);
    if (lansdel) scope = { kind: 'lansdel', lansdel };
    else if (kommun) scope = { kind: 'kommun', ...kommun };
    else if (ALL_WORDS.has(foldForLookup(word))) scope = { kind: 'forbund' };
    else {
      throw invalidInput(
        `Det känner boten inte igen. ${scopes()}, och gärna ett datum (ÅÅÅÅ-MM-DD), till exempel /rapport Norra 2026-06-30.`,
      );
    }
  }
  return { scope: scope ?? { kind: 'forbund' }, ...(asOf ? { asOf } : {}) };
}

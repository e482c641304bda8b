import { hasRole, type Principal } from '../access/access.schema.js';
import type { AuditLog } from '../audit/audit.schema.js';
import { forbidden, invalidInput } from '../errors.js';
import type { ParticipantRepository } from '../participants/participants.repository.js';
import { findLansdel, type Program } from '../participants/program.js';
import { toLocal } from '../schedule/local-time.js';
import {
  lagesrapport,
  latestPeriod,
  type Lagesrapport,
  type ReportPeriod,
} from './lagesrapport.js';
import { parsePeriod, periodKey } from './report-period.js';

export const WHOLE_FORBUND = { id: 'alla', name: 'Hela förbundet' } as const;

export interface BuiltReport {
  readonly report: Lagesrapport;
  readonly scope: { readonly id: string; readonly name: string };
}

/** The lägesrapport for samordnare: reads each länsdel's partition once and counts in one pass. */
export class ReportService {
  constructor(
    private readonly deps: {
      readonly participants: Pick<ParticipantRepository, 'listLansdel'>;
      readonly program: Program;
      readonly audit: AuditLog;
      readonly now: () => Date;
    },
  ) {}

  /** Reads `[länsdel] [period]` in either order; without them, the whole förbund and the latest half-year. */
  parseArgs(args: readonly string[]): { scopeId: string; period: ReportPeriod } {
    let scopeId: string = WHOLE_FORBUND.id;
    let period: ReportPeriod | undefined;
    for (const word of args) {
      const asPeriod = parsePeriod(word);
      const asLansdel = findLansdel(this.deps.program, word);
      if (asPeriod && !period) period = asPeriod;
      else if (asLansdel) scopeId = asLansdel.id;
      else if (word.toLocaleLowerCase('sv-SE') !== WHOLE_FORBUND.id) {
        throw invalidInput(
          `”${word.slice(0, 30)}” är varken en länsdel eller en period. Länsdelar: ${this.deps.program.lansdelar
            .map((l) => l.name)
            .join(', ')}. Period: till exempel 2026-06-30 eller 2026-12-31.`,
        );
      }
    }
    return { scopeId, period: period ?? latestPeriod(toLocal(this.deps.now()).date) };
  }

  async build(actor: Principal, scopeId: string, period: ReportPeriod): Promise<BuiltReport> {
    if (!hasRole(actor, 'samordnare', 'admin')) {
      throw forbidden('Bara samordnare kan ta fram lägesrapporten.');
    }
    const lansdelar =
      scopeId === WHOLE_FORBUND.id
        ? this.deps.program.lansdelar
        : this.deps.program.lansdelar.filter((l) => l.id === scopeId);
    if (lansdelar.length === 0) throw invalidInput('Länsdelen finns inte.');
    const rows = await Promise.all(lansdelar.map((l) => this.deps.participants.listLansdel(l.id)));
    const report = lagesrapport(
      rows.flat(),
      period,
      lansdelar,
      lansdelar.flatMap((l) => l.kommuner),
    );
    const scope =
      scopeId === WHOLE_FORBUND.id
        ? WHOLE_FORBUND
        : { id: lansdelar[0]!.id, name: lansdelar[0]!.name };
    await this.deps.audit.append({
      at: this.deps.now().toISOString(),
      actorId: actor.userId,
      ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
      action: 'reports.view',
      subjectType: 'report',
      subjectId: `${scope.id}|${periodKey(period)}`,
      details: { total: report.total },
    });
    return { report, scope };
  }
}

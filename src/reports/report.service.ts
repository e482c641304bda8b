import { hasRole, type Principal } from '../access/access.schema.js';
import type { AuditLog } from '../audit/audit.schema.js';
import { forbidden, invalidInput } from '../errors.js';
import type { Program } from '../program.js';
import { toLocal, type LocalDate } from '../schedule/local-time.js';
import {
  flowLine,
  lagesrapport,
  type FlowLine,
  type Lagesrapport,
  type ReportParticipant,
} from './lagesrapport.js';
import { halfYearOf, previousHalfYear } from './report-period.js';
import type { ReportSource } from './report.repository.js';
import {
  kommunPlan,
  lansdelarOf,
  plansOf,
  scopeKey,
  scopeName,
  type ReportArgs,
  type ReportScope,
} from './report-scope.js';

/** How the cut-off was chosen, so the card can say so. */
export type CutOffBasis = 'chosen' | 'halfYearToDate' | 'latestWithData' | 'noData';

export interface BuiltReport {
  readonly report: Lagesrapport;
  readonly scope: ReportScope;
  readonly key: string;
  readonly name: string;
  readonly insatsName: string;
  readonly basis: CutOffBasis;
  /** Planned against actual per kommun, where the länsdel plans its coaches per kommun. */
  readonly kommunFlows: readonly { readonly kommun: string; readonly flow: FlowLine }[];
}

/** How far back the default looks for a half-year with anything registered in it. */
const LOOK_BACK_HALF_YEARS = 20;

const touches = (p: ReportParticipant, from: LocalDate, to: LocalDate) =>
  (p.enrolledOn >= from && p.enrolledOn <= to) ||
  p.outcomes.some((s) => s.on >= from && s.on <= to);

/** The lägesrapport for samordnare: reads each länsdel's report rows once and counts in one pass. */
export class ReportService {
  constructor(
    private readonly deps: {
      readonly source: ReportSource;
      readonly program: Program;
      readonly audit: AuditLog;
      readonly now: () => Date;
    },
  ) {}

  get program(): Program {
    return this.deps.program;
  }

  today(): LocalDate {
    return toLocal(this.deps.now()).date;
  }

  async build(actor: Principal, args: ReportArgs): Promise<BuiltReport> {
    if (!hasRole(actor, 'samordnare', 'admin')) {
      throw forbidden('Bara samordnare kan ta fram lägesrapporten.');
    }
    const today = this.today();
    if (args.asOf && args.asOf > today) {
      throw invalidInput(
        'Datumet har inte varit ännu. Skriv ett datum som har passerat, eller /rapport utan datum för halvåret hittills.',
      );
    }
    const { scope } = args;
    const lansdelar = lansdelarOf(this.deps.program, scope);
    const rows = (
      await Promise.all(lansdelar.map((l) => this.deps.source.reportRows(l.id)))
    ).flat();
    const inScope =
      scope.kind === 'kommun' ? rows.filter((r) => r.consent && r.kommun === scope.kommun) : rows;
    const { asOf, basis } = args.asOf
      ? { asOf: args.asOf, basis: 'chosen' as const }
      : defaultCutOff(inScope, today);
    const kommuner =
      scope.kind === 'kommun' ? [scope.kommun] : lansdelar.flatMap((l) => l.kommuner);
    const report = lagesrapport(inScope, asOf, plansOf(this.deps.program, scope), kommuner);
    const kommunFlows =
      scope.kind === 'kommun'
        ? []
        : lansdelar
            .filter((l) => typeof l.coaches === 'object')
            .flatMap((l) =>
              l.kommuner.map((kommun) => ({
                kommun,
                flow: flowLine(
                  [kommunPlan(l, kommun)],
                  report.byKommun.find((k) => k.kommun === kommun)?.count ?? 0,
                  asOf,
                ),
              })),
            );
    const key = scopeKey(scope);
    await this.deps.audit.append({
      at: this.deps.now().toISOString(),
      actorId: actor.userId,
      ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
      action: 'reports.view',
      subjectType: 'report',
      subjectId: `${key}|${asOf}`,
      details: { total: report.total },
    });
    return {
      report,
      scope,
      key,
      name: scopeName(scope),
      insatsName: this.deps.program.insatser.map((i) => i.name).join(', '),
      basis,
      kommunFlows,
    };
  }
}

/**
 * The current half-year up to today when anything was registered in it (an enrolment or an
 * outcome); otherwise the end of the latest half-year that had something; otherwise today.
 */
export function defaultCutOff(
  rows: readonly ReportParticipant[],
  today: LocalDate,
): { asOf: LocalDate; basis: CutOffBasis } {
  const current = halfYearOf(today);
  if (rows.some((r) => touches(r, current.start, today))) {
    return { asOf: today, basis: 'halfYearToDate' };
  }
  let half = previousHalfYear(today);
  for (let i = 0; i < LOOK_BACK_HALF_YEARS; i++) {
    const { start, end } = half;
    if (rows.some((r) => touches(r, start, end))) return { asOf: end, basis: 'latestWithData' };
    half = previousHalfYear(start);
  }
  return { asOf: today, basis: 'noData' };
}

import { hasRole, type Principal } from '../../access/access.schema.js';
import type { AuditLog } from '../../audit/audit.schema.js';
import { AppError, forbidden, isAppError } from '../../errors.js';
import { buildEnrolment, landEnrolment, type EnrolDeps } from '../enrol-participant.js';
import { canManageAll, coachIds } from '../participant-access.js';
import type { Participant } from '../participants.schema.js';
import type { ImportRow } from './import-rows.js';

export interface ImportResult {
  /** Codes of the participants this import wrote, in the list's order. */
  readonly created: readonly string[];
  /** Rows imported before (same list, or the same rows in an earlier list). */
  readonly existing: number;
}

const PARALLEL = 8;

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of the results. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
    }),
  );
  return results;
}

const startYearOf = (row: ImportRow) => Number(row.enrolment.enrolledOn.slice(0, 4));

/**
 * Runs the import; when storage fails after codes were taken, the user hears that those
 * participants will be written (they will: their reservations are finished by whoever comes
 * next) and that the same list can be imported again without doubles.
 */
async function interrupted<T>(taken: ReadonlySet<string>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const unknown = isAppError(error, 'outcome-unknown');
    if ((!unknown && !isAppError(error, 'storage-unavailable')) || taken.size === 0) throw error;
    const how = unknown
      ? `Minst ${taken.size} deltagare har redan fått kod och skrivs in automatiskt så snart lagringen svarar; det går inte att säga om fler kom med.`
      : `${taken.size} deltagare har redan fått kod och skrivs in automatiskt så snart lagringen svarar.`;
    throw new AppError(
      error.reason,
      `Lagringen slutade svara under inläsningen. ${how} Läs in samma lista igen om en stund: rader som redan är inlästa läggs inte till två gånger.`,
      { cause: error },
    );
  }
}

export function requireImporter(actor: Principal, coachId: string): void {
  const allowed =
    canManageAll(actor) || (hasRole(actor, 'coach') && coachIds(actor).includes(coachId));
  if (!allowed) {
    throw forbidden(
      'Bara samordnare, eller en coach för sina egna deltagare, kan läsa in en lista.',
    );
  }
}

/**
 * Imports checked rows as if each were enrolled by the form: codes from the year's series (taken
 * per start year, up to 33 in one transaction, each with its participant's whole change), one
 * transaction per participant with its earlier steps, audited
 * as `participants.import`. A row imported before is recognised by its request id and adds
 * nothing; a row whose earlier import stopped half-way is finished with the code it got then.
 */
export async function importRows(
  deps: EnrolDeps & { readonly audit: AuditLog },
  actor: Principal,
  rows: readonly ImportRow[],
  coach: { readonly id: string; readonly name?: string | undefined },
  plan: (participant: Participant) => void,
): Promise<ImportResult> {
  requireImporter(actor, coach.id);
  const repository = deps.participants;
  const lansdelIds = [...new Set(rows.map((r) => r.enrolment.lansdelId))];
  const [imported, stored] = await Promise.all([
    repository.importedRequests(),
    Promise.all(lansdelIds.map((id) => repository.listLansdel(id))),
  ]);
  const present = new Set(stored.flat().map((p) => p.code));
  const todo = rows.filter((row) => {
    const code = imported.get(row.requestId);
    return !code || !present.has(code);
  });
  const build = (row: ImportRow) => (code: string) =>
    buildEnrolment(
      deps,
      actor,
      {
        ...row.enrolment,
        requestId: row.requestId,
        source: 'import',
        code,
        coachId: coach.id,
        ...(coach.name ? { coachName: coach.name } : {}),
      },
      row.steps,
    );
  const codes = new Map<string, string>();
  const taken = new Set<string>();
  const fresh = todo.filter((row) => !imported.has(row.requestId));
  const written = await interrupted(taken, async () => {
    for (const year of new Set(fresh.map((row) => startYearOf(row)))) {
      const ofYear = fresh.filter((row) => startYearOf(row) === year);
      await repository.reserve(
        year,
        ofYear.map((row) => ({
          requestId: row.requestId,
          lansdelId: row.enrolment.lansdelId,
          build: build(row),
        })),
        (batch) => {
          for (const r of batch) {
            codes.set(r.requestId, r.code);
            if (r.fresh) taken.add(r.requestId);
          }
        },
      );
    }
    return inParallel(todo, PARALLEL, async (row) => {
      const code = imported.get(row.requestId) ?? codes.get(row.requestId)!;
      const result = await landEnrolment(repository, code, () => build(row)(code));
      if (result.written) plan(result.participant);
      return result.written || taken.has(row.requestId) ? code : undefined;
    });
  });
  const created = written.filter((code): code is string => code !== undefined);
  try {
    await deps.audit.append({
      at: deps.now().toISOString(),
      actorId: actor.userId,
      ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
      action: 'participants.importList',
      subjectType: 'participantList',
      subjectId: lansdelIds.join(',') || 'none',
      details: {
        rows: rows.length,
        created: created.length,
        existing: rows.length - created.length,
      },
    });
  } catch (error) {
    if (!isAppError(error, 'storage-unavailable') && !isAppError(error, 'outcome-unknown')) {
      throw error;
    }
    // Every participant's own audit entry went with it; only the list's summary is missing.
    throw new AppError(
      error.reason,
      `Listan är inläst: ${created.length} deltagare fick kod, och varje inskrivning är loggad. Sammanställningen av inläsningen kunde inte sparas eftersom lagringen slutade svara.`,
      { cause: error },
    );
  }
  return { created, existing: rows.length - created.length };
}

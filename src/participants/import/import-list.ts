import { hasRole, type Principal } from '../../access/access.schema.js';
import type { AuditLog } from '../../audit/audit.schema.js';
import { forbidden } from '../../errors.js';
import { participantCode, writeEnrolment, type EnrolDeps } from '../enrol-participant.js';
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
 * Imports checked rows as if each were enrolled by the form: codes from the year's series (one
 * reservation per start year), one transaction per participant with its earlier steps, audited
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
  const fresh = todo.filter((row) => !imported.has(row.requestId));
  const codes = new Map<string, string>();
  for (const year of new Set(fresh.map((row) => Number(row.enrolment.enrolledOn.slice(0, 4))))) {
    const ofYear = fresh.filter((row) => Number(row.enrolment.enrolledOn.slice(0, 4)) === year);
    const first = await repository.reserveNumbers(year, ofYear.length);
    ofYear.forEach((row, i) => codes.set(row.requestId, participantCode(year, first + i)));
  }
  const written = await inParallel(todo, PARALLEL, async (row) => {
    const code =
      imported.get(row.requestId) ??
      (await repository.claimRequest(
        row.requestId,
        codes.get(row.requestId)!,
        row.enrolment.lansdelId,
      ));
    const result = await writeEnrolment(
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
    if (result.created) plan(result.participant);
    return result.created ? code : undefined;
  });
  const created = written.filter((code): code is string => code !== undefined);
  await deps.audit.append({
    at: deps.now().toISOString(),
    actorId: actor.userId,
    ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
    action: 'participants.importList',
    subjectType: 'participantList',
    subjectId: lansdelIds.join(',') || 'none',
    details: { rows: rows.length, created: created.length, existing: rows.length - created.length },
  });
  return { created, existing: rows.length - created.length };
}

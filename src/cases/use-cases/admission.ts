import type { Principal } from '../../access/access.schema.js';
import { AppError, invalidInput } from '../../errors.js';
import { caseAuditEntry } from '../case-audit.js';
import { changeCase, requireCase, type Changed } from '../case-change.js';
import type { CaseDeps } from '../case-ports.js';
import { requireCoordinator } from '../case-rights.js';
import type { CaseSnapshot } from '../case-store.js';

/** What enrolling the person behind a granted case needs to know about it. */
export interface CaseAdmission {
  readonly code: string;
  readonly organisationId: string;
  readonly insats?: string;
  /** Set once the person has been enrolled. */
  readonly participantCode?: string;
}

/** What enrolment needs from a case whose latest decision granted an insats; refuses any other. */
function admissionFrom({ value, decisions }: CaseSnapshot): CaseAdmission {
  const last = decisions.at(-1);
  if (!last || last.outcome !== 'beviljas') {
    throw invalidInput(
      `Ärendet ${value.code} har inget beslut om att bevilja en insats. Skriv in deltagaren utan ärendekod, eller besluta ärendet först.`,
    );
  }
  const insats = last.insats ?? value.insats;
  return {
    code: value.code,
    organisationId: value.organisationId,
    ...(insats ? { insats } : {}),
    ...(value.participantCode ? { participantCode: value.participantCode } : {}),
  };
}

/** The case a participant is enrolled from: its latest decision must be "beviljas insats". */
export async function admissionOf(
  deps: CaseDeps,
  actor: Principal,
  code: string,
): Promise<CaseAdmission> {
  await requireCoordinator(deps.people, actor, 'skriva in deltagare från ärenden');
  return admissionFrom(await requireCase(deps.store, code));
}

/** Ties the participant enrolled from a granted case to it; once, later calls change nothing. */
export async function linkParticipant(
  deps: CaseDeps,
  actor: Principal,
  code: string,
  participantCode: string,
): Promise<Changed> {
  await requireCoordinator(deps.people, actor, 'skriva in deltagare från ärenden');
  return changeCase(deps.store, code, `admit|${code}|${participantCode}`, (current) => {
    admissionFrom(current);
    const { value } = current;
    if (value.participantCode) {
      if (value.participantCode === participantCode) return undefined;
      throw new AppError(
        'conflict',
        `Ärendet ${code} är redan kopplat till deltagaren ${value.participantCode}.`,
      );
    }
    const now = deps.now();
    return {
      next: { ...value, participantCode, updatedAt: now.toISOString() },
      events: [],
      audit: [caseAuditEntry(actor, now, 'cases.admit', code, { participantCode })],
    };
  });
}

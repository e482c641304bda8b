import type { Principal } from '../../access/access.schema.js';
import { invalidInput } from '../../errors.js';
import { refusePersonalIdentityNumbers } from '../../privacy/personal-identity-number.js';
import { toLocal } from '../../schedule/local-time.js';
import { caseAuditEntry } from '../case-audit.js';
import type { CaseDeps } from '../case-ports.js';
import { requireSubmitter } from '../case-rights.js';
import type { CaseSnapshot } from '../case-store.js';
import { CASE_LIMITS, type CaseRequest, type CaseUrgency } from '../cases.schema.js';

export interface NewCase {
  /** The form's request id (a UUID): a repeated submit returns the case it made. */
  readonly requestId: string;
  readonly reason: string;
  readonly request: CaseRequest;
  readonly insats?: string;
  readonly urgency: CaseUrgency;
  readonly preferredMeetingId?: string;
  readonly consent: boolean;
}

const clean = (text: string | undefined) => (text ?? '').normalize('NFC').trim();

/** The checks a submission must pass before anything is stored; Swedish messages. */
export function checkNewCase(input: NewCase): { reason: string; insats: string } {
  if (!input.consent) {
    throw invalidInput(
      'Ärendet kan inte anmälas utan att personens samtycke till informationsutbyte mellan myndigheterna finns. Kryssa i samtycket och skicka igen. Inget har sparats.',
    );
  }
  refusePersonalIdentityNumbers(input.reason, input.insats);
  const reason = clean(input.reason);
  const insats = clean(input.insats);
  if (reason.length === 0) throw invalidInput('Beskriv frågan eller skälet till ärendet.');
  if (reason.length > CASE_LIMITS.reason) {
    throw invalidInput(`Beskrivningen är för lång: högst ${CASE_LIMITS.reason} tecken.`);
  }
  if (insats.length > CASE_LIMITS.insats) {
    throw invalidInput(`Insatsens namn är för långt: högst ${CASE_LIMITS.insats} tecken.`);
  }
  if (input.request !== 'arbetstraning' && !insats) {
    throw invalidInput('Skriv vilken insats ärendet gäller.');
  }
  return { reason, insats };
}

/**
 * Submits a case: representatives and samordnare, for their own organisation, with samtycke.
 * The code is handed out in the transaction that stores the case; a repeated submit of the same
 * form returns the case it made (`created: false`).
 */
export async function submitCase(
  deps: CaseDeps,
  actor: Principal,
  conversationId: string,
  input: NewCase,
): Promise<{ snapshot: CaseSnapshot; created: boolean }> {
  const organisationId = await requireSubmitter(deps.people, actor);
  const { reason, insats } = checkNewCase(input);
  const now = deps.now();
  const at = now.toISOString();
  const written = await deps.store.create(
    Number(toLocal(now).date.slice(0, 4)),
    {
      value: {
        conversationId,
        organisationId,
        submittedBy: actor.userId,
        submittedAt: at,
        requestId: input.requestId,
        reason,
        request: input.request,
        ...(insats ? { insats } : {}),
        urgency: input.urgency,
        ...(input.preferredMeetingId ? { preferredMeetingId: input.preferredMeetingId } : {}),
        consent: true,
        status: 'inkommen',
        updatedAt: at,
      },
      event: { at, by: actor.userId, to: 'inkommen', note: 'submitted' },
      audit: (code) =>
        caseAuditEntry(actor, now, 'cases.submit', code, {
          organisationId,
          request: input.request,
          urgency: input.urgency,
        }),
    },
    input.requestId,
  );
  return { snapshot: written.snapshot, created: written.kind === 'committed' };
}

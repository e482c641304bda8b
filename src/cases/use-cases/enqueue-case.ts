import type { Principal } from '../../access/access.schema.js';
import { invalidInput } from '../../errors.js';
import { refusePersonalIdentityNumbers } from '../../privacy/personal-identity-number.js';
import { caseAuditEntry } from '../case-audit.js';
import { changeCase, type Changed } from '../case-change.js';
import { requireTransition } from '../case-lifecycle.js';
import type { CaseDeps } from '../case-ports.js';
import { requireCoordinator } from '../case-rights.js';
import { CASE_LIMITS } from '../cases.schema.js';

export const sameInsats = (a: string, b: string) =>
  a.normalize('NFC').toLocaleLowerCase('sv-SE') === b.normalize('NFC').toLocaleLowerCase('sv-SE');

/** Puts an incoming case straight on the waiting list of an insats that is full. */
export async function enqueueCase(
  deps: CaseDeps,
  actor: Principal,
  request: { readonly code: string; readonly insats: string; readonly key: string },
): Promise<Changed> {
  await requireCoordinator(deps.people, actor, 'sätta ärenden i kö');
  refusePersonalIdentityNumbers(request.insats);
  const insats = request.insats.normalize('NFC').trim();
  if (!insats) throw invalidInput('Skriv vilken insats kön gäller.');
  if (insats.length > CASE_LIMITS.insats) {
    throw invalidInput(`Insatsens namn är för långt: högst ${CASE_LIMITS.insats} tecken.`);
  }
  const { code } = request;
  return changeCase(deps.store, code, `queue|${code}|${request.key}`, ({ value }) => {
    if (value.status === 'iko' && value.queue && sameInsats(value.queue.insats, insats)) {
      return undefined;
    }
    requireTransition(code, value.status, 'iko');
    const now = deps.now();
    const at = now.toISOString();
    return {
      next: { ...value, status: 'iko', queue: { insats, since: at }, updatedAt: at },
      events: [{ at, by: actor.userId, from: value.status, to: 'iko', note: 'queued' }],
      audit: [caseAuditEntry(actor, now, 'cases.queue', code)],
    };
  });
}

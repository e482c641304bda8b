import type { Principal } from '../../access/access.schema.js';
import { requireCase } from '../case-change.js';
import type { CaseDeps } from '../case-ports.js';
import { requireCoordinator } from '../case-rights.js';
import type { CaseSnapshot } from '../case-store.js';
import { attendanceReader, type Attendance } from './attendance.js';

/** The case and who is present at its meeting, for the decision card. Samordnare only. */
export async function openDecision(
  deps: CaseDeps,
  actor: Principal,
  code: string,
): Promise<{ snapshot: CaseSnapshot; attendance: Attendance }> {
  await requireCoordinator(deps.people, actor, 'besluta om ärenden');
  const snapshot = await requireCase(deps.store, code);
  return { snapshot, attendance: await attendanceReader(deps.meetings)(snapshot.value) };
}

import { createHash } from 'node:crypto';
import type { Principal } from '../../access/access.schema.js';
import { AppError, invalidInput } from '../../errors.js';
import { refusePersonalIdentityNumbers } from '../../privacy/personal-identity-number.js';
import { caseAuditEntry } from '../case-audit.js';
import { changeCase } from '../case-change.js';
import { requireTransition, statusAfterOutcome } from '../case-lifecycle.js';
import type { CaseDeps } from '../case-ports.js';
import { requireCoordinator } from '../case-rights.js';
import type { CaseSnapshot } from '../case-store.js';
import {
  CASE_LIMITS,
  caseOutcomeLabels,
  type CaseDecision,
  type CaseEvent,
  type CaseOutcome,
} from '../cases.schema.js';
import { attendanceReader, type Attendance, type MeetingRef } from './attendance.js';

export interface NewDecision {
  readonly code: string;
  /** The decision card's request id (a UUID): a repeated click records nothing new. */
  readonly requestId: string;
  readonly outcome: CaseOutcome;
  readonly insats?: string;
  readonly motivation: string;
  /** The meeting the card showed, read while the case is read. */
  readonly meeting?: MeetingRef;
}

export interface Decided {
  readonly snapshot: CaseSnapshot;
  readonly decision: CaseDecision;
  /** True when this request's decision was already stored: nothing new was recorded. */
  readonly repeated: boolean;
  readonly attendance: Attendance;
}

/** A stable decision id from the card's request id, so a repeated click is recognised. */
export const decisionIdFor = (requestId: string) =>
  createHash('sha256').update(requestId).digest('base64url').slice(0, 16);

/** The checks a decision must pass before the case is read; Swedish messages. */
export function checkDecision(input: Pick<NewDecision, 'outcome' | 'insats' | 'motivation'>) {
  refusePersonalIdentityNumbers(input.motivation, input.insats);
  const motivation = input.motivation.normalize('NFC').trim();
  const insats = input.insats?.normalize('NFC').trim() || undefined;
  if (motivation.length === 0) throw invalidInput('Skriv en kort motivering till beslutet.');
  if (motivation.length > CASE_LIMITS.motivation) {
    throw invalidInput(`Motiveringen är för lång: högst ${CASE_LIMITS.motivation} tecken.`);
  }
  if (insats && insats.length > CASE_LIMITS.insats) {
    throw invalidInput(`Insatsens namn är för långt: högst ${CASE_LIMITS.insats} tecken.`);
  }
  if ((input.outcome === 'annanInsats' || input.outcome === 'ko') && !insats) {
    throw invalidInput(
      input.outcome === 'ko'
        ? 'Skriv vilken insats kön gäller.'
        : 'Skriv vilken annan insats ärendet går vidare till.',
    );
  }
  return { motivation, insats };
}

/**
 * Records a decision. A planned case is marked dragen first (it is being presented now). The
 * decision and the new status are one transaction: of two samordnare deciding at once one wins
 * and the other is told the decision that stands; a repeated click returns the decision made.
 */
export async function decideCase(
  deps: CaseDeps,
  actor: Principal,
  input: NewDecision,
): Promise<Decided> {
  await requireCoordinator(deps.people, actor, 'besluta om ärenden');
  const { motivation, insats } = checkDecision(input);
  const { code } = input;
  const id = decisionIdFor(input.requestId);
  const readAttendance = attendanceReader(deps.meetings, input.meeting);
  let attendance: Attendance | undefined;

  const changed = await changeCase(
    deps.store,
    code,
    `decide|${code}|${input.requestId}`,
    async (current) => {
      const { value } = current;
      if (current.decisions.some((d) => d.id === id)) return undefined;
      if (value.status !== 'planerad' && value.status !== 'dragen') {
        const last = current.decisions.at(-1);
        if (last && ['beslut', 'iko', 'aterremitterad'].includes(value.status)) {
          throw new AppError(
            'conflict',
            `Ärendet ${code} har redan fått beslutet ”${caseOutcomeLabels[last.outcome]}” av ${last.decidedByName || 'en samordnare'}. Ditt beslut sparades inte. Här är det aktuella läget.`,
          );
        }
        requireTransition(code, value.status, 'dragen');
      }
      attendance = await readAttendance(value);
      const now = deps.now();
      const at = now.toISOString();
      const to = statusAfterOutcome[input.outcome];
      requireTransition(code, 'dragen', to);
      const events: CaseEvent[] = [];
      if (value.status === 'planerad') {
        events.push({
          at,
          by: actor.userId,
          from: 'planerad',
          to: 'dragen',
          note: 'presented',
          ...(value.plan ? { date: value.plan.date } : {}),
        });
      }
      events.push({ at, by: actor.userId, from: 'dragen', to, note: 'decided' });
      const granted = input.outcome === 'beviljas' ? value.insats : undefined;
      const decision: CaseDecision = {
        id,
        outcome: input.outcome,
        ...((insats ?? granted) ? { insats: insats ?? granted } : {}),
        motivation,
        decidedBy: actor.userId,
        decidedByName: actor.displayName ?? '',
        at,
        ...(value.plan ? { meetingId: value.plan.meetingId, date: value.plan.date } : {}),
        present: [...attendance.present],
        referrerPresent: attendance.referrerPresent,
      };
      return {
        next: {
          ...value,
          status: to,
          ...(to === 'iko' ? { queue: { insats: insats!, since: at } } : {}),
          updatedAt: at,
        },
        events,
        decision,
        audit: [
          caseAuditEntry(actor, now, 'cases.decide', code, {
            outcome: input.outcome,
            referrerPresent: attendance.referrerPresent,
          }),
        ],
      };
    },
  );
  const decision = changed.snapshot.decisions.find((d) => d.id === id);
  if (!decision) throw new AppError('outcome-unknown');
  return {
    snapshot: changed.snapshot,
    decision,
    repeated: changed.outcome !== 'changed',
    attendance: attendance ?? {
      recorded: true,
      present: decision.present,
      referrerPresent: decision.referrerPresent,
    },
  };
}

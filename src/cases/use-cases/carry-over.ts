import { caseAuditEntry } from '../case-audit.js';
import { changeCase, SYSTEM_ACTOR } from '../case-change.js';
import type { CaseDeps, MeetingSlot } from '../case-ports.js';
import type { CaseSnapshot } from '../case-store.js';
import type { CasePlan, CaseSummary } from '../cases.schema.js';
import { PLANNING_DAYS, planFor } from './planning.js';

/** A case moved on because its meeting passed before it was presented. */
export interface CarriedOver {
  readonly code: string;
  readonly from: string;
  /** Absent when the series has no later meeting: the case stays where it was. */
  readonly to?: string;
  readonly snapshot?: CaseSnapshot;
}

/** Whether the occurrence a case is planned for has ended, or was started and closed early. */
async function meetingIsOver(deps: CaseDeps, summary: CaseSummary, plan: CasePlan, now: Date) {
  if (plan.endsAt && new Date(plan.endsAt) <= now) return true;
  const held = await deps.meetings.occurrence({
    conversationId: summary.conversationId,
    meetingId: plan.meetingId,
    date: plan.date,
  });
  return !held || held.started || held.endsAt <= now;
}

/**
 * Moves planned cases whose meeting has ended without them being presented to the next
 * occurrence of the same series, and notes it on the case. Works from the queue lines just read,
 * so nothing more is read unless a planned meeting has started.
 */
export async function carryOver(
  deps: CaseDeps,
  open: readonly CaseSummary[],
): Promise<CarriedOver[]> {
  const now = deps.now();
  const stale = open.filter(
    (summary) =>
      summary.status === 'planerad' && summary.plan && new Date(summary.plan.startsAt) <= now,
  );
  if (stale.length === 0) return [];
  const upcoming = new Map<string, Promise<MeetingSlot[]>>();
  const slotsOf = (conversationId: string) => {
    let slots = upcoming.get(conversationId);
    if (!slots) {
      slots = deps.meetings.upcoming(conversationId, PLANNING_DAYS);
      upcoming.set(conversationId, slots);
    }
    return slots;
  };
  const moved: CarriedOver[] = [];
  for (const summary of stale) {
    const plan = summary.plan!;
    if (!(await meetingIsOver(deps, summary, plan, now))) continue;
    const next = (await slotsOf(summary.conversationId)).find(
      (slot) =>
        slot.meetingId === plan.meetingId &&
        !slot.cancelled &&
        slot.startsAt > now &&
        slot.key !== plan.date,
    );
    if (!next) {
      moved.push({ code: summary.code, from: plan.date });
      continue;
    }
    const nextPlan = planFor(next);
    const key = `carry|${summary.code}|${summary.revision}`;
    const changed = await changeCase(deps.store, summary.code, key, ({ value }) => {
      if (value.status !== 'planerad' || value.plan?.date !== plan.date) return undefined;
      const at = now.toISOString();
      return {
        next: { ...value, plan: nextPlan, carriedOverFrom: plan.date, updatedAt: at },
        events: [
          {
            at,
            by: SYSTEM_ACTOR.userId,
            from: 'planerad',
            to: 'planerad',
            note: 'carriedOver',
            date: nextPlan.date,
          },
        ],
        audit: [
          caseAuditEntry(SYSTEM_ACTOR, now, 'cases.carryOver', summary.code, {
            from: plan.date,
            to: nextPlan.date,
          }),
        ],
      };
    });
    if (changed.outcome === 'unchanged') continue;
    moved.push({
      code: summary.code,
      from: plan.date,
      to: nextPlan.date,
      snapshot: changed.snapshot,
    });
  }
  return moved;
}

/** Carry-over in every conversation with open cases: the bot's periodic step. */
export async function carryOverAll(deps: CaseDeps): Promise<CarriedOver[]> {
  return carryOver(deps, await deps.store.open());
}

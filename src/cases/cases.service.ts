import { createHash } from 'node:crypto';
import { hasRole, type Principal } from '../access/access.schema.js';
import type { AuditEntry, AuditLog } from '../audit/audit.schema.js';
import { retryOnConflict } from '../concurrency.js';
import { AppError, forbidden, invalidInput, isAppError, notFound } from '../errors.js';
import type { UpcomingOccurrence } from '../meetings/meetings.service.js';
import type { MeetingSeries, Occurrence } from '../meetings/meetings.schema.js';
import { refusePersonalIdentityNumbers } from '../privacy/personal-identity-number.js';
import { toLocal } from '../schedule/local-time.js';
import { caseAuditEntry } from './case-audit.js';
import { QUEUE_ORDER, requireTransition, statusAfterOutcome } from './case-lifecycle.js';
import type { CaseRepository } from './cases.repository.js';
import {
  caseOutcomeLabels,
  caseStatusLabels,
  type Case,
  type CaseDecision,
  type CaseEvent,
  type CaseOutcome,
  type CasePlan,
  type CaseRequest,
  type CaseStatus,
  type CaseUrgency,
} from './cases.schema.js';

/** The meetings a case can be planned for: the read side of the meetings capability. */
export interface CaseMeetings {
  upcoming(conversationId: string, days?: number): Promise<UpcomingOccurrence[]>;
  occurrence(ref: {
    conversationId: string;
    meetingId: string;
    date: string;
  }): Promise<{ series: MeetingSeries; occurrence: Occurrence }>;
}

/** What enrolling the person behind a granted case needs to know about it. */
export interface CaseAdmission {
  readonly code: string;
  readonly organisationId: string;
  readonly insats?: string;
  /** Set once the person has been enrolled. */
  readonly participantCode?: string;
}

export interface CaseServiceDeps {
  readonly cases: CaseRepository;
  readonly meetings: CaseMeetings;
  readonly audit: AuditLog;
  readonly now: () => Date;
}

export interface NewCase {
  readonly requestId: string;
  readonly reason: string;
  readonly request: CaseRequest;
  readonly insats?: string;
  readonly urgency: CaseUrgency;
  readonly preferredMeetingId?: string;
  readonly consent: boolean;
}

export interface NewDecision {
  readonly requestId: string;
  readonly outcome: CaseOutcome;
  readonly insats?: string;
  readonly motivation: string;
}

export interface CaseFilter {
  readonly organisationId?: string;
  readonly status?: CaseStatus;
  readonly meetingDate?: string;
}

/** A case moved on because its meeting passed before it was presented. */
export interface CarriedOver {
  readonly code: string;
  readonly from: string;
  readonly to?: string;
}

export interface QueuePlace {
  readonly value: Case;
  readonly position: number;
}

/** Who was at the meeting a case is planned for, as the decision card shows it. */
export interface Attendance {
  readonly recorded: boolean;
  readonly present: readonly string[];
  readonly referrerPresent: boolean;
}

/** Who carries cases over: the bot itself, in the history and the audit log. */
const SYSTEM_ACTOR: Principal = {
  userId: 'system',
  tenantId: '',
  roles: [],
  configuredAdmin: false,
};
const MAX_REASON = 1000;
const MAX_MOTIVATION = 500;
const PLANNING_DAYS = 400;

/**
 * The ärendekö: submission, planning to meetings, presentation, decisions, the waiting list,
 * carry-over and who may see what. Every change and every view of details is audited.
 */
export class CaseService {
  constructor(private readonly deps: CaseServiceDeps) {}

  /**
   * Submits a case. Without samtycke nothing is stored; a personnummer or samordningsnummer in
   * any text is refused. The card's request id makes a re-delivered submit return the same case.
   */
  async submit(
    actor: Principal,
    conversationId: string,
    input: NewCase,
  ): Promise<{ value: Case; created: boolean }> {
    if (!hasRole(actor, 'representant', 'samordnare', 'admin')) {
      throw forbidden('Bara organisationernas representanter och samordnare kan anmäla ärenden.');
    }
    if (!actor.organisationId) {
      throw invalidInput(
        'Du hör inte till någon organisation än. Be förbundets administratör koppla dig till din organisation med /roller.',
      );
    }
    if (!input.consent) {
      throw invalidInput(
        'Ärendet kan inte anmälas utan att personens samtycke till informationsutbyte mellan myndigheterna finns. Inget har sparats.',
      );
    }
    refusePersonalIdentityNumbers(input.reason, input.insats);
    const reason = input.reason.normalize('NFC').trim();
    if (reason.length === 0) throw invalidInput('Beskriv frågan eller skälet till ärendet.');
    if (reason.length > MAX_REASON) {
      throw invalidInput(`Beskrivningen är för lång: högst ${MAX_REASON} tecken.`);
    }
    if (input.request !== 'arbetstraning' && !input.insats?.trim()) {
      throw invalidInput('Skriv vilken insats ärendet gäller.');
    }

    let code = await this.deps.cases.codeForRequest(input.requestId);
    if (code) {
      const existing = await this.deps.cases.get(code);
      if (existing) return { value: existing.value, created: false };
    } else {
      const issued = await this.deps.cases.issueCode(
        Number(toLocal(this.deps.now()).date.slice(0, 4)),
      );
      try {
        await this.deps.cases.bindRequest(input.requestId, issued);
        code = issued;
      } catch (error) {
        if (!isAppError(error, 'already-exists')) throw error;
        code = (await this.deps.cases.codeForRequest(input.requestId))!;
        const existing = await this.deps.cases.get(code);
        if (existing) return { value: existing.value, created: false };
      }
    }

    const at = this.deps.now().toISOString();
    const value: Case = {
      code,
      conversationId,
      organisationId: actor.organisationId,
      submittedBy: actor.userId,
      submittedAt: at,
      requestId: input.requestId,
      reason,
      request: input.request,
      ...(input.insats?.trim() ? { insats: input.insats.normalize('NFC').trim() } : {}),
      urgency: input.urgency,
      ...(input.preferredMeetingId ? { preferredMeetingId: input.preferredMeetingId } : {}),
      consent: true,
      status: 'inkommen',
      decisions: [],
      history: [{ at, by: actor.userId, to: 'inkommen', note: 'submitted' }],
      updatedAt: at,
    };
    try {
      await this.deps.cases.create(value);
    } catch (error) {
      if (!isAppError(error, 'already-exists')) throw error;
      return { value: (await this.deps.cases.get(code))!.value, created: false };
    }
    await this.audit(actor, 'cases.submit', code, {
      organisationId: value.organisationId,
      request: value.request,
      urgency: value.urgency,
    });
    return { value, created: true };
  }

  /** The open queue of a conversation, after moving on cases whose meeting has passed. */
  async openQueue(
    conversationId: string,
    filter: CaseFilter = {},
  ): Promise<{ cases: Case[]; carried: CarriedOver[] }> {
    let { cases } = await this.deps.cases.listOpen(conversationId);
    const carried = await this.carryOverFrom(
      conversationId,
      cases.map((c) => c.value),
    );
    if (carried.some((c) => c.to !== undefined)) {
      ({ cases } = await this.deps.cases.listOpen(conversationId));
    }
    const list = cases
      .map((c) => c.value)
      .filter(
        (c) =>
          (!filter.organisationId || c.organisationId === filter.organisationId) &&
          (!filter.status || c.status === filter.status) &&
          (!filter.meetingDate || c.plan?.date === filter.meetingDate),
      )
      .sort(byQueueOrder);
    return { cases: list, carried };
  }

  /** The waiting list per insats, positions counted from 1 in the order cases joined it. */
  async waitingList(conversationId: string, insats?: string): Promise<QueuePlace[]> {
    const { cases } = await this.deps.cases.listOpen(conversationId);
    const queued = cases
      .map((c) => c.value)
      .filter((c) => c.status === 'iko' && c.queue)
      .filter((c) => !insats || sameInsats(c.queue!.insats, insats))
      .sort(
        (a, b) =>
          a.queue!.insats.localeCompare(b.queue!.insats, 'sv') ||
          a.queue!.since.localeCompare(b.queue!.since) ||
          a.code.localeCompare(b.code),
      );
    const positions = new Map<string, number>();
    return queued.map((value) => {
      const key = value.queue!.insats.toLocaleLowerCase('sv-SE');
      const position = (positions.get(key) ?? 0) + 1;
      positions.set(key, position);
      return { value, position };
    });
  }

  /** A case as the channel may see it: no reason text, no decisions. */
  async summary(code: string): Promise<Case> {
    return (await this.require(code)).value;
  }

  /** Whether the actor may see a case's details: samordnare, or the referring organisation. */
  maySeeDetails(actor: Principal, value: Case): boolean {
    return (
      hasRole(actor, 'samordnare', 'admin') ||
      (hasRole(actor, 'representant') && actor.organisationId === value.organisationId)
    );
  }

  /** The whole case with its history. Every view is written to the audit log. */
  async details(actor: Principal, code: string): Promise<Case> {
    const { value } = await this.require(code);
    if (!this.maySeeDetails(actor, value)) {
      await this.audit(actor, 'cases.view.refused', code, {});
      throw forbidden(
        'Detaljerna i ett ärende visas bara för samordnare och för den anmälande organisationens representanter.',
      );
    }
    await this.audit(actor, 'cases.view', code, {});
    return value;
  }

  /** Plans a case for a meeting of its channel: a given date, the preferred series, or the next. */
  async plan(actor: Principal, code: string, date?: string, slot?: string): Promise<Case> {
    requireCoordinator(actor);
    return this.change(actor, code, async (current) => {
      requireTransition(code, current.status, 'planerad');
      const occurrence = await this.findOccurrence(current, date);
      const plan = planFor(occurrence, slot);
      const at = this.deps.now().toISOString();
      return {
        next: {
          ...current,
          status: 'planerad',
          plan,
          carriedOverFrom: undefined,
          queue: current.status === 'iko' ? undefined : current.queue,
          history: [
            ...current.history,
            {
              at,
              by: actor.userId,
              from: current.status,
              to: 'planerad',
              note: 'planned',
              date: plan.date,
            },
          ],
        },
        action: 'cases.plan',
        details: { meetingId: plan.meetingId, date: plan.date },
      };
    });
  }

  /** Moves a planned case to another meeting date. */
  async move(actor: Principal, code: string, date: string, slot?: string): Promise<Case> {
    requireCoordinator(actor);
    return this.change(actor, code, async (current) => {
      if (current.status !== 'planerad') {
        throw invalidInput(
          `Ärendet ${code} är ${caseStatusLabels[current.status].toLowerCase()}, inte planerat. Planera det först med /ärenden planera ${code}.`,
        );
      }
      const plan = planFor(await this.findOccurrence(current, date), slot);
      const at = this.deps.now().toISOString();
      return {
        next: {
          ...current,
          plan,
          carriedOverFrom: undefined,
          history: [
            ...current.history,
            {
              at,
              by: actor.userId,
              from: 'planerad',
              to: 'planerad',
              note: 'moved',
              date: plan.date,
            },
          ],
        },
        action: 'cases.move',
        details: { date: plan.date },
      };
    });
  }

  /** Puts an incoming case straight on the waiting list of an insats that is full. */
  async enqueue(actor: Principal, code: string, insats: string): Promise<Case> {
    requireCoordinator(actor);
    refusePersonalIdentityNumbers(insats);
    const name = insats.normalize('NFC').trim();
    return this.change(actor, code, async (current) => {
      if (current.status === 'iko' && current.queue && sameInsats(current.queue.insats, name)) {
        return undefined;
      }
      requireTransition(code, current.status, 'iko');
      const at = this.deps.now().toISOString();
      return {
        next: {
          ...current,
          status: 'iko',
          queue: { insats: name, since: at },
          history: [
            ...current.history,
            { at, by: actor.userId, from: current.status, to: 'iko', note: 'queued' },
          ],
        },
        action: 'cases.queue',
        details: {},
      };
    });
  }

  /** Marks a planned case as presented (dragen) at its meeting. */
  async present(actor: Principal, code: string): Promise<Case> {
    requireCoordinator(actor);
    return this.change(actor, code, async (current) => {
      if (current.status === 'dragen') return undefined;
      requireTransition(code, current.status, 'dragen');
      return {
        next: {
          ...current,
          status: 'dragen',
          history: [
            ...current.history,
            {
              at: this.deps.now().toISOString(),
              by: actor.userId,
              from: current.status,
              to: 'dragen',
              note: 'presented',
              ...(current.plan ? { date: current.plan.date } : {}),
            },
          ],
        },
        action: 'cases.present',
        details: {},
      };
    });
  }

  /**
   * Records a decision. A planned case is marked dragen first (it is being presented now).
   * The decision and the new status are one conditional write: of two samordnare deciding at
   * once one wins and the other gets `conflict` with the winner's decision; a repeated click
   * (same request id) returns the decision already made.
   */
  async decide(
    actor: Principal,
    code: string,
    input: NewDecision,
  ): Promise<{ value: Case; decision: CaseDecision; duplicate: boolean }> {
    requireCoordinator(actor);
    refusePersonalIdentityNumbers(input.motivation, input.insats);
    const motivation = input.motivation.normalize('NFC').trim();
    if (motivation.length === 0) throw invalidInput('Skriv en kort motivering till beslutet.');
    if (motivation.length > MAX_MOTIVATION) {
      throw invalidInput(`Motiveringen är för lång: högst ${MAX_MOTIVATION} tecken.`);
    }
    const insats = input.insats?.normalize('NFC').trim() || undefined;
    if ((input.outcome === 'annanInsats' || input.outcome === 'ko') && !insats) {
      throw invalidInput(
        input.outcome === 'ko'
          ? 'Skriv vilken insats kön gäller.'
          : 'Skriv vilken annan insats ärendet går vidare till.',
      );
    }
    const id = decisionIdFor(input.requestId);
    const attendance = await this.attendanceFor(code);
    let duplicate = false;
    let decision: CaseDecision | undefined;

    const decided = await retryOnConflict(async () => {
      const stored = await this.require(code);
      const current = stored.value;
      const existing = current.decisions.find((d) => d.id === id);
      if (existing) {
        duplicate = true;
        decision = existing;
        return current;
      }
      if (current.status !== 'planerad' && current.status !== 'dragen') {
        const last = current.decisions.at(-1);
        if (
          last &&
          (current.status === 'beslut' ||
            current.status === 'iko' ||
            current.status === 'aterremitterad')
        ) {
          throw new AppError(
            'conflict',
            `Ärendet ${code} har redan fått beslutet ”${caseOutcomeLabels[last.outcome]}” av ${last.decidedByName || 'en samordnare'}. Ditt beslut sparades inte. Här är det aktuella läget.`,
          );
        }
        requireTransition(code, current.status, 'dragen');
      }
      const at = this.deps.now().toISOString();
      const to = statusAfterOutcome[input.outcome];
      const events: CaseEvent[] = [];
      if (current.status === 'planerad') {
        events.push({
          at,
          by: actor.userId,
          from: 'planerad',
          to: 'dragen',
          note: 'presented',
          ...(current.plan ? { date: current.plan.date } : {}),
        });
      }
      requireTransition(code, 'dragen', to);
      events.push({ at, by: actor.userId, from: 'dragen', to, note: 'decided' });
      decision = {
        id,
        outcome: input.outcome,
        ...(insats
          ? { insats }
          : input.outcome === 'beviljas' && current.insats
            ? { insats: current.insats }
            : {}),
        motivation,
        decidedBy: actor.userId,
        decidedByName: actor.displayName ?? '',
        at,
        ...(current.plan ? { meetingId: current.plan.meetingId, date: current.plan.date } : {}),
        present: [...attendance.present],
        referrerPresent: attendance.referrerPresent,
      };
      const next: Case = {
        ...current,
        status: to,
        decisions: [...current.decisions, decision],
        ...(to === 'iko' ? { queue: { insats: insats!, since: at } } : {}),
        history: [...current.history, ...events],
        updatedAt: at,
      };
      await this.deps.cases.replace(next, stored.version);
      return next;
    });
    if (duplicate) return { value: decided, decision: decision!, duplicate };

    await this.audit(actor, 'cases.decide', code, {
      outcome: input.outcome,
      referrerPresent: attendance.referrerPresent,
    });
    return { value: decided, decision: decision!, duplicate: false };
  }

  /** Closes a case (avslutad). Closing twice changes nothing the second time. */
  async close(actor: Principal, code: string): Promise<Case> {
    requireCoordinator(actor);
    return this.change(actor, code, async (current) => {
      if (current.status === 'avslutad') return undefined;
      requireTransition(code, current.status, 'avslutad');
      const at = this.deps.now().toISOString();
      return {
        next: {
          ...current,
          status: 'avslutad',
          closedAt: at,
          history: [
            ...current.history,
            { at, by: actor.userId, from: current.status, to: 'avslutad', note: 'closed' },
          ],
        },
        action: 'cases.close',
        details: { outcome: current.decisions.at(-1)?.outcome ?? 'ingetBeslut' },
      };
    });
  }

  /** Who is present at the case's planned meeting, and whether the referring organisation is. */
  async attendanceFor(code: string): Promise<Attendance> {
    const { value } = await this.require(code);
    if (!value.plan) return { recorded: false, present: [], referrerPresent: false };
    try {
      const { occurrence } = await this.deps.meetings.occurrence({
        conversationId: value.conversationId,
        meetingId: value.plan.meetingId,
        date: value.plan.date,
      });
      const present = occurrence.attendance ?? [];
      return {
        recorded: occurrence.attendance !== undefined,
        present,
        referrerPresent: present.includes(value.organisationId),
      };
    } catch (error) {
      if (isAppError(error, 'not-found')) {
        return { recorded: false, present: [], referrerPresent: false };
      }
      throw error;
    }
  }

  /**
   * Moves planned cases whose meeting has ended (or was closed) without them being presented to
   * the next occurrence of the same series, and notes it on the case.
   */
  async carryOver(conversationId: string): Promise<CarriedOver[]> {
    const { cases } = await this.deps.cases.listOpen(conversationId);
    return this.carryOverFrom(
      conversationId,
      cases.map((c) => c.value),
    );
  }

  /** Carry-over for an open queue just read, so listing it costs one read, not two. */
  private async carryOverFrom(
    conversationId: string,
    open: readonly Case[],
  ): Promise<CarriedOver[]> {
    const now = this.deps.now();
    const stale: Case[] = [];
    for (const value of open) {
      if (value.status !== 'planerad' || !value.plan) continue;
      if (new Date(value.plan.startsAt) > now) continue;
      stale.push(value);
    }
    if (stale.length === 0) return [];
    const upcoming = await this.deps.meetings.upcoming(conversationId, PLANNING_DAYS);
    const moved: CarriedOver[] = [];
    for (const value of stale) {
      const plan = value.plan!;
      if (!(await this.meetingIsOver(value, plan, now))) continue;
      const next = upcoming.find(
        (o) =>
          o.series.id === plan.meetingId &&
          o.planned.status !== 'cancelled' &&
          o.planned.start > now &&
          o.planned.key !== plan.date,
      );
      if (!next) {
        moved.push({ code: value.code, from: plan.date });
        continue;
      }
      const nextPlan = planFor(next);
      await this.change(SYSTEM_ACTOR, value.code, async (current) => {
        if (current.status !== 'planerad' || current.plan?.date !== plan.date) return undefined;
        const at = now.toISOString();
        return {
          next: {
            ...current,
            plan: nextPlan,
            carriedOverFrom: plan.date,
            history: [
              ...current.history,
              {
                at,
                by: SYSTEM_ACTOR.userId,
                from: 'planerad',
                to: 'planerad',
                note: 'carriedOver',
                date: nextPlan.date,
              },
            ],
          },
          action: 'cases.carryOver',
          details: { from: plan.date, to: nextPlan.date },
        };
      });
      moved.push({ code: value.code, from: plan.date, to: nextPlan.date });
    }
    return moved;
  }

  /** Carry-over in every conversation with open cases: the bot's periodic step. */
  async carryOverAll(): Promise<CarriedOver[]> {
    const moved: CarriedOver[] = [];
    for (const conversationId of await this.deps.cases.conversationsWithOpenCases()) {
      moved.push(...(await this.carryOver(conversationId)));
    }
    return moved;
  }

  /**
   * The case a participant is being enrolled from: it must exist and its latest decision must be
   * "beviljas insats". Samordnare only, like every decision on a case.
   */
  async admissionOf(actor: Principal, code: string): Promise<CaseAdmission> {
    requireCoordinator(actor);
    return admissionFrom((await this.require(code)).value);
  }

  /** Ties the participant enrolled from a granted case to it; once, later calls change nothing. */
  async linkParticipant(actor: Principal, code: string, participantCode: string): Promise<Case> {
    requireCoordinator(actor);
    return this.change(actor, code, async (current) => {
      admissionFrom(current);
      if (current.participantCode) {
        if (current.participantCode === participantCode) return undefined;
        throw new AppError(
          'conflict',
          `Ärendet ${code} är redan kopplat till deltagaren ${current.participantCode}.`,
        );
      }
      return {
        next: { ...current, participantCode },
        action: 'cases.admit',
        details: { participantCode },
      };
    });
  }

  /** The audit trail of one case, for samordnare. Reading it is itself audited. */
  async log(actor: Principal, code: string): Promise<AuditEntry[]> {
    requireCoordinator(actor);
    await this.require(code);
    await this.audit(actor, 'cases.log', code, {});
    return this.deps.audit.forSubject('case', code);
  }

  private async meetingIsOver(value: Case, plan: CasePlan, now: Date): Promise<boolean> {
    try {
      const { occurrence } = await this.deps.meetings.occurrence({
        conversationId: value.conversationId,
        meetingId: plan.meetingId,
        date: plan.date,
      });
      const end = new Date(occurrence.startsAt).getTime() + occurrence.durationMinutes * 60_000;
      return occurrence.state !== 'planned' || end <= now.getTime();
    } catch (error) {
      if (isAppError(error, 'not-found')) return true;
      throw error;
    }
  }

  private async findOccurrence(current: Case, date?: string): Promise<UpcomingOccurrence> {
    const upcoming = (
      await this.deps.meetings.upcoming(current.conversationId, PLANNING_DAYS)
    ).filter((o) => o.planned.status !== 'cancelled' && o.planned.start > this.deps.now());
    if (upcoming.length === 0) {
      throw invalidInput(
        'Det finns inga kommande möten i ärendets kanal. En samordnare skapar en mötesserie med /möte ny.',
      );
    }
    if (date) {
      const match = upcoming.find((o) => o.planned.date === date || o.planned.key === date);
      if (!match) {
        const dates = upcoming.slice(0, 5).map((o) => o.planned.date);
        throw invalidInput(
          `Det finns inget möte den ${date} i ärendets kanal. Kommande möten: ${dates.join(', ')}.`,
        );
      }
      return match;
    }
    return upcoming.find((o) => o.series.id === current.preferredMeetingId) ?? upcoming[0]!;
  }

  private async require(code: string) {
    const stored = await this.deps.cases.get(code);
    if (!stored) throw notFound(`Det finns inget ärende med koden ${code}.`);
    return stored;
  }

  /**
   * Read-modify-write of one case, retried on a lost race. `change` returns undefined when there
   * is nothing to do, which makes repeated clicks harmless.
   */
  private async change(
    actor: Principal,
    code: string,
    change: (
      current: Case,
    ) => Promise<
      { next: Case; action: string; details: Record<string, string | number | boolean> } | undefined
    >,
  ): Promise<Case> {
    let audit: { action: string; details: Record<string, string | number | boolean> } | undefined;
    const result = await retryOnConflict(async () => {
      const stored = await this.require(code);
      const outcome = await change(stored.value);
      if (!outcome) {
        audit = undefined;
        return stored.value;
      }
      const next = { ...outcome.next, updatedAt: this.deps.now().toISOString() };
      await this.deps.cases.replace(next, stored.version);
      audit = { action: outcome.action, details: outcome.details };
      return next;
    }, 5);
    if (audit) await this.audit(actor, audit.action, code, audit.details);
    return result;
  }

  private async audit(
    actor: Principal,
    action: string,
    code: string,
    details: Record<string, string | number | boolean>,
  ) {
    await this.deps.audit.append(caseAuditEntry(actor, this.deps.now(), action, code, details));
  }
}

/** What enrolment needs from a case whose latest decision granted an insats; refuses any other. */
function admissionFrom(value: Case): CaseAdmission {
  const last = value.decisions.at(-1);
  if (!last || last.outcome !== 'beviljas') {
    throw invalidInput(
      `Ärendet ${value.code} har inget beslut om att bevilja en insats. Skriv in deltagaren utan ärendekod, eller besluta ärendet först.`,
    );
  }
  return {
    code: value.code,
    organisationId: value.organisationId,
    ...(last.insats ? { insats: last.insats } : value.insats ? { insats: value.insats } : {}),
    ...(value.participantCode ? { participantCode: value.participantCode } : {}),
  };
}

const statusOrder = (status: CaseStatus) => QUEUE_ORDER.indexOf(status);

function byQueueOrder(a: Case, b: Case): number {
  return (
    statusOrder(a.status) - statusOrder(b.status) ||
    (a.plan?.startsAt ?? '').localeCompare(b.plan?.startsAt ?? '') ||
    (a.urgency === b.urgency ? 0 : a.urgency === 'skyndsam' ? -1 : 1) ||
    a.code.localeCompare(b.code)
  );
}

function planFor(occurrence: UpcomingOccurrence, slot?: string): CasePlan {
  if (slot && occurrence.series.type !== 'samrad') {
    throw invalidInput('En tid (TT:MM) anges bara när ärendet dras på ett samråd.');
  }
  return {
    meetingId: occurrence.series.id,
    date: occurrence.planned.key,
    meetingName: occurrence.series.name,
    startsAt: occurrence.planned.start.toISOString(),
    ...(slot ? { slot } : {}),
  };
}

const sameInsats = (a: string, b: string) =>
  a.toLocaleLowerCase('sv-SE').normalize('NFC') === b.toLocaleLowerCase('sv-SE').normalize('NFC');

/** A stable decision id from the card's request id, so a repeated click is recognised. */
function decisionIdFor(requestId: string): string {
  return createHash('sha256').update(requestId).digest('base64url').slice(0, 16);
}

function requireCoordinator(actor: Principal): void {
  if (!hasRole(actor, 'samordnare', 'admin')) {
    throw forbidden('Bara samordnare kan planera, besluta om och avsluta ärenden.');
  }
}

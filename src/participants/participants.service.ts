import { hasRole, type Principal } from '../access/access.schema.js';
import type { AuditLog } from '../audit/audit.schema.js';
import { forbidden, invalidInput } from '../errors.js';
import { refusePersonalIdentityNumbers } from '../privacy/personal-identity-number.js';
import { toLocal, type LocalDate } from '../schedule/local-time.js';
import {
  buildEnrolment,
  checkEnrolment,
  landEnrolment,
  requireInsats,
  requireLansdel,
} from './enrol-participant.js';
import { isOverdue } from './follow-up.js';
import { canManageAll, coachIds, requireVisible } from './participant-access.js';
import {
  TIMELINE_PAGE,
  type ParticipantRepository,
  type TimelinePage,
} from './participants.repository.js';
import {
  ENDING_STEPS,
  type Deviation,
  type Enrolment,
  type Participant,
  type RecordableStep,
} from './participants.schema.js';
import type { Insats, Lansdel, Program } from '../program.js';
import { importRows, type ImportResult } from './import/import-list.js';
import type { ImportRow } from './import/import-rows.js';
import { recordEvent, type NewEvent } from './record-event.js';

export { ageGroupOf, participantCode } from './enrol-participant.js';
export { canManageAll } from './participant-access.js';

/** Reminds a coach of an overdue follow-up through the reminder engine. */
export interface FollowUpReminders {
  /** Plans the reminder for the participant's next follow-up; idempotent. */
  plan(participant: Participant): Promise<void>;
  /** Withdraws the reminder planned for the participant's previous next follow-up. */
  withdraw(participant: Participant): Promise<void>;
}

/** Tells an organisation about a deviation at once; answers how many people were reached. */
export type OrganisationNotifier = (organisationId: string, text: string) => Promise<number>;

/** The case a participant is enrolled from (the cases capability). */
export interface CaseLinks {
  /** Checks the case was granted an insats; answers its canonical code and referring organisation. */
  admission(
    actor: Principal,
    caseCode: string,
  ): Promise<{ code: string; organisationId: string; participantCode?: string }>;
  /** Records the participant code on the case; repeating it changes nothing. */
  link(actor: Principal, caseCode: string, participantCode: string): Promise<void>;
}

export interface ParticipantDeps {
  readonly participants: ParticipantRepository;
  readonly program: Program;
  /** Views are audited here; changes carry their audit entry in their own transaction. */
  readonly audit: AuditLog;
  readonly followUps: FollowUpReminders;
  readonly notifyOrganisation: OrganisationNotifier;
  /** Organisation id → display name, for the deviation message and the card. */
  readonly organisationName: (organisationId: string) => Promise<string | undefined>;
  /** Enrolment from a case decision; without it a case code is refused. */
  readonly cases?: CaseLinks;
  /** Runs work that need not hold up the answer (moving a follow-up reminder). */
  readonly later: (name: string, work: () => Promise<void>) => void;
  readonly now: () => Date;
}

export interface ParticipantView {
  readonly participant: Participant;
  /** The newest page of the history. */
  readonly timeline: TimelinePage;
  readonly insats: Insats;
  readonly lansdel: Lansdel;
}

export interface Recorded {
  readonly participant: Participant;
  /** False when the same request was recorded before (a repeated click). */
  readonly created: boolean;
  /** For deviations: how many people of the responsible organisation were told. */
  readonly notified?: number;
  /** The first page of the history after the change, when known without reading it again. */
  readonly timeline?: TimelinePage;
}

/** Where a change comes from: the länsdel the clicked card names (see `get`'s hint). */
export interface ChangeSource {
  readonly requestId: string;
  readonly lansdelHint?: string | undefined;
}

/**
 * How old a code reservation must be before someone other than its own writer finishes it: long
 * enough that the writer is done or gone, short enough that the register soon has no hole.
 */
export const RESERVATION_GRACE_MS = 10_000;

/** The participant register: enrolment, steps, follow-ups and deviations. */
export class ParticipantService {
  private sweeping = false;

  constructor(private readonly deps: ParticipantDeps) {}

  get program(): Program {
    return this.deps.program;
  }

  today(): LocalDate {
    return toLocal(this.deps.now()).date;
  }

  /**
   * Enrols a participant once per request: a repeated delivery returns the participant the first
   * one created. The code is taken from the year's series together with the whole enrolment, so
   * a crash between taking it and writing the participant is finished by the next delivery, the
   * next enrolment or the periodic sweep, under the same code: the series has no gaps.
   */
  async enrol(actor: Principal, input: Enrolment): Promise<Recorded> {
    const { startYear } = checkEnrolment(this.deps, actor, input, this.today());
    const caseCode = input.caseCode ? await this.admittingCase(actor, input.caseCode) : undefined;
    // One participant per case, whichever form or delivery enrols them.
    const requestId = caseCode ? `case-${caseCode}` : input.requestId;
    const repository = this.deps.participants;
    const build = (code: string) =>
      buildEnrolment(this.deps, actor, {
        ...input,
        requestId,
        code,
        ...(caseCode ? { caseCode } : {}),
      });
    let code = await repository.codeOfRequest(requestId);
    let fresh = false;
    if (!code) {
      const [reserved] = await repository.reserve(startYear, [
        { requestId, lansdelId: input.lansdelId, build },
      ]);
      code = reserved!.code;
      fresh = reserved!.fresh;
    }
    const taken = code;
    const landed = await landEnrolment(repository, taken, () => build(taken));
    if (caseCode) await this.deps.cases!.link(actor, caseCode, taken);
    if (landed.written) this.moveFollowUp(undefined, landed.participant);
    this.finishStale();
    return { participant: landed.participant, created: fresh || landed.written };
  }

  /**
   * Finishes, after the answer, enrolments whose code was taken more than a little while ago but
   * whose participant was never written (their writer stopped half-way); one sweep at a time.
   */
  finishStale(): void {
    if (this.sweeping) return;
    this.sweeping = true;
    this.deps.later('participants.finishPending', async () => {
      try {
        await this.finishPending();
      } finally {
        this.sweeping = false;
      }
    });
  }

  /**
   * Writes every reservation older than `graceMs` now: the periodic job, and at start-up with no
   * grace (finishing one that another instance is still writing is harmless, only a wasted write).
   */
  async finishPending(graceMs = RESERVATION_GRACE_MS): Promise<number> {
    const before = new Date(this.deps.now().getTime() - graceMs);
    const written = await this.deps.participants.finishPending(before);
    for (const participant of written) this.moveFollowUp(undefined, participant);
    return written.length;
  }

  /** The canonical code of the granted case a participant is enrolled from. */
  private async admittingCase(actor: Principal, caseCode: string): Promise<string> {
    refusePersonalIdentityNumbers(caseCode);
    if (!this.deps.cases) throw invalidInput('Inskrivning från ett ärende är inte påslagen här.');
    return (await this.deps.cases.admission(actor, caseCode)).code;
  }

  /** A coach's own participants, or everyone's for samordnare; and the overdue follow-ups among them. */
  async list(actor: Principal): Promise<{ participants: Participant[]; overdue: Participant[] }> {
    let participants: Participant[];
    if (canManageAll(actor)) {
      const all = await Promise.all(
        this.deps.program.lansdelar.map((l) => this.deps.participants.listLansdel(l.id)),
      );
      participants = all.flat();
    } else if (hasRole(actor, 'coach')) {
      participants = await this.deps.participants.listForCoach(coachIds(actor));
    } else {
      throw forbidden('Deltagarregistret är bara för coacher och samordnare.');
    }
    participants.sort((a, b) => a.code.localeCompare(b.code));
    const today = this.today();
    const overdue = participants
      .filter((p) => isOverdue(p, today))
      .sort((a, b) => a.nextFollowUpOn!.localeCompare(b.nextFollowUpOn!));
    return { participants, overdue };
  }

  /** Details and the newest page of the timeline (or an older page); every view is audited. */
  async view(
    actor: Principal,
    code: string,
    after?: string,
    lansdelHint?: string,
  ): Promise<ParticipantView> {
    const stored = await requireVisible(this.deps.participants, actor, code, lansdelHint, {
      firstPage: !after,
    });
    return this.viewOf(actor, stored.value, after, true, after ? undefined : stored.firstPage);
  }

  /** The view of a participant already read (right after a change). */
  async viewOf(
    actor: Principal,
    participant: Participant,
    after?: string,
    audited = true,
    page?: TimelinePage,
  ) {
    const [timeline] = await Promise.all([
      page ?? this.deps.participants.timeline(participant, TIMELINE_PAGE, after),
      audited ? this.auditView(actor, participant) : Promise.resolve(),
    ]);
    return {
      participant,
      timeline,
      insats: requireInsats(this.deps.program, participant.insatsId),
      lansdel: requireLansdel(this.deps.program, participant.lansdelId),
    };
  }

  recordStep(
    actor: Principal,
    code: string,
    input: ChangeSource & {
      step: RecordableStep;
      on: LocalDate;
      which?: string;
      note?: string;
    },
  ): Promise<Recorded> {
    if (input.step === 'annanInsats' && !input.which) {
      throw invalidInput('Skriv vilken annan insats deltagaren går vidare till.');
    }
    return this.record(
      actor,
      code,
      'participants.step',
      {
        id: input.requestId,
        kind: 'step',
        step: input.step,
        on: input.on,
        ...(input.step === 'annanInsats' && input.which ? { which: input.which } : {}),
        ...(input.note ? { note: input.note } : {}),
      },
      input.lansdelHint,
    );
  }

  recordFollowUp(
    actor: Principal,
    code: string,
    input: ChangeSource & { on: LocalDate; note?: string },
  ): Promise<Recorded> {
    return this.record(
      actor,
      code,
      'participants.followUp',
      {
        id: input.requestId,
        kind: 'followUp',
        on: input.on,
        ...(input.note ? { note: input.note } : {}),
      },
      input.lansdelHint,
    );
  }

  /** Records an avvikelse and tells the responsible handläggare's organisation at once. */
  async recordDeviation(
    actor: Principal,
    code: string,
    input: ChangeSource & { deviation: Deviation; on: LocalDate; note?: string },
  ): Promise<Recorded> {
    const result = await this.record(
      actor,
      code,
      'participants.deviation',
      {
        id: input.requestId,
        kind: 'deviation',
        deviation: input.deviation,
        on: input.on,
        ...(input.note ? { note: input.note } : {}),
      },
      input.lansdelHint,
    );
    if (!result.created) return result;
    const { participant } = result;
    const insats = requireInsats(this.deps.program, participant.insatsId);
    const what = input.deviation === 'uteblivet' ? 'uteblivet besök' : 'planen följs inte';
    const text =
      `Avvikelse för deltagare ${participant.code} i ${insats.name}: ${what} ${input.on}. ` +
      `Kontakta deltagarens coach för mer information. Skriv inte personuppgifter i chatten.`;
    const notified = await this.deps.notifyOrganisation(
      participant.responsibleOrganisationId,
      text,
    );
    await this.deps.audit.append({
      at: this.deps.now().toISOString(),
      actorId: actor.userId,
      ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
      action: 'participants.deviationNotified',
      subjectType: 'participant',
      subjectId: participant.code,
      details: { organisationId: participant.responsibleOrganisationId, notified },
    });
    return { ...result, notified };
  }

  /** How many of these imported rows' requests are already stored. */
  async importedCount(requestIds: readonly string[]): Promise<number> {
    const imported = await this.deps.participants.importedRequests();
    return requestIds.filter((id) => imported.has(id)).length;
  }

  /** Imports checked rows of a participant list (see {@link importRows}). */
  importList(
    actor: Principal,
    rows: readonly ImportRow[],
    coach: { id: string; name?: string | undefined },
  ): Promise<ImportResult> {
    return importRows(this.deps, actor, rows, coach, (participant) =>
      this.moveFollowUp(undefined, participant),
    );
  }

  organisationName(id: string): Promise<string | undefined> {
    return this.deps.organisationName(id);
  }

  /**
   * Records one history row; the first page of the history after it comes with the change (kept
   * beside the header), so the card after it needs no further read.
   */
  private async record(
    actor: Principal,
    code: string,
    action: string,
    event: NewEvent,
    lansdelHint?: string,
  ): Promise<Recorded> {
    const recorded = await recordEvent(this.deps, actor, code, action, event, {
      lansdelHint,
      withPage: true,
    });
    if (recorded.created) this.moveFollowUp(recorded.before, recorded.participant);
    return {
      participant: recorded.participant,
      created: recorded.created,
      ...(recorded.timeline ? { timeline: recorded.timeline } : {}),
    };
  }

  /** Moves the follow-up reminder after the answer: it is not part of the change. */
  private moveFollowUp(before: Participant | undefined, after: Participant) {
    if (before && before.nextFollowUpOn === after.nextFollowUpOn) return;
    this.deps.later('participants.followUp.move', async () => {
      if (before) await this.deps.followUps.withdraw(before);
      if (!ENDING_STEPS.includes(after.currentStep)) await this.deps.followUps.plan(after);
    });
  }

  private async auditView(actor: Principal, participant: Participant) {
    await this.deps.audit.append({
      at: this.deps.now().toISOString(),
      actorId: actor.userId,
      ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
      action: 'participants.view',
      subjectType: 'participant',
      subjectId: participant.code,
      details: {},
    });
  }
}

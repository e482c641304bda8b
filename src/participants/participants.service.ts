import { hasRole, type Principal } from '../access/access.schema.js';
import type { AuditLog } from '../audit/audit.schema.js';
import { retryOnConflict } from '../concurrency.js';
import { forbidden, invalidInput, isAppError, notFound } from '../errors.js';
import { refusePersonalIdentityNumbers } from '../privacy/personal-identity-number.js';
import { toLocal, type LocalDate } from '../schedule/local-time.js';
import { foldForLookup } from '../text.js';
import type { Versioned } from '../versioned.js';
import { isOverdue, summarise } from './follow-up.js';
import type { ParticipantRepository } from './participants.repository.js';
import {
  ENDING_STEPS,
  type AgeGroup,
  type Deviation,
  type Enrolment,
  type Participant,
  type ParticipantEvent,
  type RecordableStep,
} from './participants.schema.js';
import type { Insats, Lansdel, Program } from './program.js';

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
  readonly audit: AuditLog;
  readonly followUps: FollowUpReminders;
  readonly notifyOrganisation: OrganisationNotifier;
  /** Organisation id → display name, for the deviation message. */
  readonly organisationName: (organisationId: string) => Promise<string | undefined>;
  /** Enrolment from a case decision; without it a case code is refused. */
  readonly cases?: CaseLinks;
  readonly now: () => Date;
}

export interface ParticipantView {
  readonly participant: Participant;
  readonly events: ParticipantEvent[];
  readonly insats: Insats;
  readonly lansdel: Lansdel;
}

export interface Recorded {
  readonly participant: Participant;
  /** The whole history after the change, oldest first (steps, follow-ups, deviations). */
  readonly events?: readonly ParticipantEvent[];
  /** False when the same request was recorded before (a repeated click). */
  readonly created: boolean;
  /** For deviations: how many people of the responsible organisation were told. */
  readonly notified?: number;
}

/** Age group from a birth year, as old as the person turns in the start year. */
export function ageGroupOf(birthYear: number, startYear: number): AgeGroup {
  const age = startYear - birthYear;
  return age < 30 ? 'under30' : age < 50 ? '30-49' : '50+';
}

export const participantCode = (year: number, number: number) =>
  `D-${year}-${String(number).padStart(4, '0')}`;

export const canManageAll = (actor: Principal) => hasRole(actor, 'samordnare', 'admin');
const coachIds = (actor: Principal) =>
  [actor.userId, actor.memberId, actor.aadObjectId].filter((id): id is string => !!id);

/** The participant register: enrolment, steps, follow-ups and deviations. */
export class ParticipantService {
  constructor(private readonly deps: ParticipantDeps) {}

  get program(): Program {
    return this.deps.program;
  }

  today(): LocalDate {
    return toLocal(this.deps.now()).date;
  }

  /**
   * Enrols a participant once per request: a repeated delivery returns the participant the first
   * one created, and a crash half-way is finished by the next delivery (same code).
   */
  async enrol(actor: Principal, input: Enrolment): Promise<Recorded> {
    const canEnrol =
      canManageAll(actor) || (hasRole(actor, 'coach') && coachIds(actor).includes(input.coachId));
    if (!canEnrol) {
      throw forbidden('Bara samordnare, eller en coach för sina egna deltagare, kan skriva in.');
    }
    const lansdel = this.requireLansdel(input.lansdelId);
    const insats = this.requireInsats(input.insatsId);
    const today = this.today();
    if (input.enrolledOn > today)
      throw invalidInput('Inskrivningsdatumet kan inte vara framåt i tiden.');
    const caseCode = input.caseCode ? await this.admittingCase(actor, input.caseCode) : undefined;
    const startYear = Number(input.enrolledOn.slice(0, 4));
    const descriptors = input.consent ? this.descriptors(input, lansdel, startYear) : {};

    // One participant per case, whichever form or delivery enrols them.
    const requestId = caseCode ? `case-${caseCode}` : input.requestId;
    let code = await this.deps.participants.codeOfRequest(requestId);
    if (!code) {
      const fresh = participantCode(startYear, await this.deps.participants.nextNumber(startYear));
      code = await this.deps.participants.claimRequest(requestId, fresh);
    }
    const existing = await this.deps.participants.get(code);
    if (existing) {
      if (caseCode) await this.deps.cases!.link(actor, caseCode, code);
      return { participant: existing.value, created: false };
    }

    const participant: Participant = {
      code,
      lansdelId: lansdel.id,
      insatsId: insats.id,
      gender: input.gender,
      startYear,
      consent: input.consent,
      enrolledOn: input.enrolledOn,
      ...descriptors,
      coachId: input.coachId,
      responsibleOrganisationId: input.responsibleOrganisationId,
      ...(caseCode ? { caseCode } : {}),
      ...summarise(input.enrolledOn, [], insats.followUpWeeks),
      enrolRequestId: requestId,
      createdAt: this.deps.now().toISOString(),
      createdBy: actor.userId,
    };
    let created = true;
    try {
      await this.deps.participants.create(participant);
    } catch (error) {
      if (!isAppError(error, 'already-exists')) throw error;
      created = false;
    }
    await this.deps.participants.appendEvent(participant, {
      id: 'inskrivning',
      code,
      kind: 'step',
      step: 'inskrivning',
      on: input.enrolledOn,
      recordedBy: actor.userId,
      recordedAt: participant.createdAt,
    });
    if (caseCode) await this.deps.cases!.link(actor, caseCode, code);
    if (created) {
      await this.audit(actor, 'participants.enrol', participant, {
        lansdelId: lansdel.id,
        insatsId: insats.id,
        consent: input.consent,
        ...(caseCode ? { caseCode } : {}),
      });
      await this.deps.followUps.plan(participant);
    }
    const stored = await this.deps.participants.get(code);
    return { participant: stored?.value ?? participant, created };
  }

  /** The canonical code of the granted case a participant is enrolled from. */
  private async admittingCase(actor: Principal, caseCode: string): Promise<string> {
    refusePersonalIdentityNumbers(caseCode);
    if (!this.deps.cases) throw invalidInput('Inskrivning från ett ärende är inte påslaget här.');
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

  /** Details and timeline; every view is audited. */
  async view(actor: Principal, code: string): Promise<ParticipantView> {
    const { value: participant } = await this.requireVisible(actor, code);
    const events = await this.deps.participants.events(participant);
    return this.viewOf(actor, { participant, events: events.sort(byTimeline) });
  }

  /** The view right after a change, from what the change already read; audited like any view. */
  async viewOf(
    actor: Principal,
    current: { participant: Participant; events: readonly ParticipantEvent[] },
  ): Promise<ParticipantView> {
    const { participant } = current;
    await this.audit(actor, 'participants.view', participant, {});
    return {
      participant,
      events: [...current.events],
      insats: this.requireInsats(participant.insatsId),
      lansdel: this.requireLansdel(participant.lansdelId),
    };
  }

  recordStep(
    actor: Principal,
    code: string,
    input: {
      requestId: string;
      step: RecordableStep;
      on: LocalDate;
      which?: string;
      note?: string;
    },
  ): Promise<Recorded> {
    if (input.step === 'annanInsats' && !input.which) {
      throw invalidInput('Skriv vilken annan insats deltagaren går vidare till.');
    }
    return this.record(actor, code, 'participants.step', {
      id: input.requestId,
      kind: 'step',
      step: input.step,
      on: input.on,
      ...(input.step === 'annanInsats' && input.which ? { which: input.which } : {}),
      ...(input.note ? { note: input.note } : {}),
    });
  }

  recordFollowUp(
    actor: Principal,
    code: string,
    input: { requestId: string; on: LocalDate; note?: string },
  ): Promise<Recorded> {
    return this.record(actor, code, 'participants.followUp', {
      id: input.requestId,
      kind: 'followUp',
      on: input.on,
      ...(input.note ? { note: input.note } : {}),
    });
  }

  /** Records an avvikelse and tells the responsible handläggare's organisation at once. */
  async recordDeviation(
    actor: Principal,
    code: string,
    input: { requestId: string; deviation: Deviation; on: LocalDate; note?: string },
  ): Promise<Recorded> {
    const result = await this.record(actor, code, 'participants.deviation', {
      id: input.requestId,
      kind: 'deviation',
      deviation: input.deviation,
      on: input.on,
      ...(input.note ? { note: input.note } : {}),
    });
    if (!result.created) return result;
    const { participant } = result;
    const insats = this.requireInsats(participant.insatsId);
    const what = input.deviation === 'uteblivet' ? 'uteblivet besök' : 'planen följs inte';
    const text =
      `Avvikelse för deltagare ${participant.code} i ${insats.name}: ${what} ${input.on}. ` +
      `Kontakta deltagarens coach för mer information. Skriv inte personuppgifter i chatten.`;
    const notified = await this.deps.notifyOrganisation(
      participant.responsibleOrganisationId,
      text,
    );
    await this.audit(actor, 'participants.deviationNotified', participant, {
      organisationId: participant.responsibleOrganisationId,
      notified,
    });
    return { ...result, notified };
  }

  organisationName(id: string): Promise<string | undefined> {
    return this.deps.organisationName(id);
  }

  private async record(
    actor: Principal,
    code: string,
    action: string,
    event: Omit<ParticipantEvent, 'code' | 'recordedBy' | 'recordedAt'>,
  ): Promise<Recorded> {
    refusePersonalIdentityNumbers(event.note, event.which);
    const stored = await this.requireVisible(actor, code);
    const participant = stored.value;
    const today = this.today();
    if (event.on > today) throw invalidInput('Datumet kan inte vara framåt i tiden.');
    if (event.on < participant.enrolledOn) {
      throw invalidInput(`Datumet är före inskrivningen (${participant.enrolledOn}).`);
    }
    if (participant.endedOn && event.kind !== 'step') {
      throw invalidInput(
        'Deltagaren har avslutat insatsen. Registrera ett nytt steg om deltagaren kommer tillbaka.',
      );
    }
    const recorded: ParticipantEvent = {
      ...event,
      code: participant.code,
      recordedBy: actor.userId,
      recordedAt: this.deps.now().toISOString(),
    };
    // The history is read while the event is written; the summary is computed from both. A
    // concurrent change by someone else makes one of the two row writes fail on its ETag, and
    // that one reads everything again.
    const [created, history] = await Promise.all([
      this.deps.participants.appendEvent(participant, recorded),
      this.deps.participants.events(participant),
    ]);
    const events = history.some((e) => e.id === recorded.id) ? history : [...history, recorded];
    const refreshed = await this.refresh(participant.code, { stored, events }, () =>
      created
        ? this.audit(actor, action, participant, {
            ...(event.step ? { step: event.step } : {}),
            ...(event.deviation ? { deviation: event.deviation } : {}),
            on: event.on,
          })
        : Promise.resolve(),
    );
    return { ...refreshed, created };
  }

  /**
   * Rewrites the participant's summary from the whole history and moves the follow-up reminder.
   * The first attempt may use a row and history already read; a conflict reads both again.
   * `alongside` (the audit) runs together with the reminder move.
   */
  private async refresh(
    code: string,
    known?: { stored: Versioned<Participant>; events: readonly ParticipantEvent[] },
    alongside: () => Promise<void> = () => Promise.resolve(),
  ): Promise<{ participant: Participant; events: ParticipantEvent[] }> {
    let first = known;
    const { before, after, events } = await retryOnConflict(async () => {
      const stored = first?.stored ?? (await this.deps.participants.get(code));
      if (!stored) throw notFound('Deltagaren finns inte.');
      const current = stored.value;
      const events = [...(first?.events ?? (await this.deps.participants.events(current)))];
      first = undefined;
      const insats = this.requireInsats(current.insatsId);
      const next: Participant = {
        ...withoutSummary(current),
        ...summarise(current.enrolledOn, events, insats.followUpWeeks),
      };
      if (JSON.stringify(next) === JSON.stringify(current))
        return { before: current, after: current, events };
      await this.deps.participants.replace(next, stored.version);
      return { before: current, after: next, events };
    }, 5);
    const moveFollowUp = async () => {
      if (before.nextFollowUpOn === after.nextFollowUpOn) return;
      await this.deps.followUps.withdraw(before);
      if (!ENDING_STEPS.includes(after.currentStep)) await this.deps.followUps.plan(after);
    };
    await Promise.all([moveFollowUp(), alongside()]);
    return { participant: after, events: events.sort(byTimeline) };
  }

  private async requireVisible(actor: Principal, code: string): Promise<Versioned<Participant>> {
    if (!canManageAll(actor) && !hasRole(actor, 'coach')) {
      throw forbidden('Deltagarregistret är bara för coacher och samordnare.');
    }
    const stored = await this.deps.participants.get(code);
    if (!stored) throw notFound(`Det finns ingen deltagare med koden ${code}.`);
    if (!canManageAll(actor) && !coachIds(actor).includes(stored.value.coachId)) {
      throw forbidden('Du kan bara se och uppdatera dina egna deltagare.');
    }
    return stored;
  }

  private descriptors(input: Enrolment, lansdel: Lansdel, startYear: number) {
    if (
      input.birthYear !== undefined &&
      (input.birthYear > startYear - 15 || input.birthYear < startYear - 70)
    ) {
      throw invalidInput('Födelseåret verkar inte stämma. Skriv bara året, till exempel 1990.');
    }
    const ageGroup =
      input.birthYear !== undefined ? ageGroupOf(input.birthYear, startYear) : input.ageGroup;
    if (!ageGroup) throw invalidInput('Ange födelseår eller åldersgrupp (med samtycke).');
    const kommun = lansdel.kommuner.find(
      (k) => foldForLookup(k) === foldForLookup(input.kommun ?? ''),
    );
    if (!kommun) {
      throw invalidInput(
        `Välj en kommun i länsdel ${lansdel.name}: ${lansdel.kommuner.join(', ')}.`,
      );
    }
    if (!input.referral) throw invalidInput('Ange vem som remitterade deltagaren.');
    return {
      ...(input.birthYear !== undefined ? { birthYear: input.birthYear } : {}),
      ageGroup,
      kommun,
      referral: input.referral,
    };
  }

  private requireLansdel(id: string): Lansdel {
    const lansdel = this.deps.program.lansdelar.find((l) => l.id === id);
    if (!lansdel) throw invalidInput('Länsdelen finns inte.');
    return lansdel;
  }

  private requireInsats(id: string): Insats {
    const insats = this.deps.program.insatser.find((i) => i.id === id);
    if (!insats) throw invalidInput('Insatsen finns inte.');
    return insats;
  }

  private async audit(
    actor: Principal,
    action: string,
    participant: Participant,
    details: Record<string, string | number | boolean>,
  ) {
    await this.deps.audit.append({
      at: this.deps.now().toISOString(),
      actorId: actor.userId,
      ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
      action,
      subjectType: 'participant',
      subjectId: participant.code,
      details,
    });
  }
}

const byTimeline = (a: ParticipantEvent, b: ParticipantEvent) =>
  a.on.localeCompare(b.on) || a.recordedAt.localeCompare(b.recordedAt);

function withoutSummary(participant: Participant) {
  const { lastFollowUpOn: _l, nextFollowUpOn: _n, endedOn: _e, ...rest } = participant;
  return rest;
}

import { hasRole, type Principal } from '../access/access.schema.js';
import type { AuditEntry } from '../audit/audit.schema.js';
import { AppError, forbidden, invalidInput, isAppError } from '../errors.js';
import { refusePersonalIdentityNumbers } from '../privacy/personal-identity-number.js';
import { outcomeSteps } from './outcome-steps.js';
import { enrolledSummary, summaryAfter } from './follow-up.js';
import { canManageAll, coachIds } from './participant-access.js';
import type { ParticipantChange, ParticipantRepository } from './participants.repository.js';
import type {
  AgeGroup,
  Enrolment,
  Participant,
  ParticipantEvent,
  RecordableStep,
} from './participants.schema.js';
import { toLocal } from '../schedule/local-time.js';
import { foldForLookup } from '../text.js';
import type { Insats, Lansdel, Program } from '../program.js';

/** Age group from a birth year, as old as the person turns in the start year. */
export function ageGroupOf(birthYear: number, startYear: number): AgeGroup {
  const age = startYear - birthYear;
  return age < 30 ? 'under30' : age < 50 ? '30-49' : '50+';
}

export { participantCode } from './participants.schema.js';

/** The fields kept only with consent, by their form labels (for "not kept" notices). */
export const CONSENT_FIELDS = {
  birthYear: 'födelseår',
  ageGroup: 'åldersgrupp',
  kommun: 'kommun',
  referral: 'remitterad från',
} as const;

/** Which consent-only fields were filled in without consent (and so were not kept). */
export function droppedWithoutConsent(input: Partial<Enrolment>): string[] {
  if (input.consent) return [];
  return (Object.keys(CONSENT_FIELDS) as (keyof typeof CONSENT_FIELDS)[])
    .filter((field) => input[field] !== undefined && input[field] !== '')
    .map((field) => CONSENT_FIELDS[field]);
}

/**
 * The consent-only descriptors, checked: a believable birth year that agrees with the age group
 * when both are given, a kommun of the länsdel, and who referred.
 */
export function descriptorsOf(input: Enrolment, lansdel: Lansdel, startYear: number) {
  if (
    input.birthYear !== undefined &&
    (input.birthYear > startYear - 15 || input.birthYear < startYear - 70)
  ) {
    throw invalidInput(
      'Födelseåret verkar inte stämma: deltagaren ska vara 15–70 år vid inskrivningen. Skriv bara året, till exempel 1990.',
    );
  }
  const fromYear =
    input.birthYear !== undefined ? ageGroupOf(input.birthYear, startYear) : undefined;
  if (fromYear && input.ageGroup && fromYear !== input.ageGroup) {
    throw invalidInput(
      'Födelseåret och åldersgruppen stämmer inte överens. Ange bara födelseåret, eller rätta åldersgruppen.',
    );
  }
  const ageGroup = fromYear ?? input.ageGroup;
  if (!ageGroup) throw invalidInput('Ange födelseår eller åldersgrupp (med samtycke).');
  const kommun = lansdel.kommuner.find(
    (k) => foldForLookup(k) === foldForLookup(input.kommun ?? ''),
  );
  if (!kommun) {
    throw invalidInput(`Välj en kommun i länsdel ${lansdel.name}: ${lansdel.kommuner.join(', ')}.`);
  }
  if (!input.referral) throw invalidInput('Ange vem som remitterade deltagaren.');
  return {
    ...(input.birthYear !== undefined ? { birthYear: input.birthYear } : {}),
    ageGroup,
    kommun,
    referral: input.referral,
  };
}

/** A step that came with an imported row, already checked. */
export interface EarlierStep {
  readonly step: RecordableStep;
  readonly on: string;
  readonly which?: string;
}

export interface EnrolDeps {
  readonly participants: ParticipantRepository;
  readonly program: Program;
  readonly now: () => Date;
}

export function requireLansdel(program: Program, id: string): Lansdel {
  const lansdel = program.lansdelar.find((l) => l.id === id);
  if (!lansdel) throw invalidInput('Länsdelen finns inte.');
  return lansdel;
}

export function requireInsats(program: Program, id: string): Insats {
  const insats = program.insatser.find((i) => i.id === id);
  if (!insats) throw invalidInput('Insatsen finns inte.');
  return insats;
}

/** Checks an enrolment before anything is stored; answers the participant it would create. */
export function checkEnrolment(deps: EnrolDeps, actor: Principal, input: Enrolment, today: string) {
  const canEnrol =
    canManageAll(actor) || (hasRole(actor, 'coach') && coachIds(actor).includes(input.coachId));
  if (!canEnrol) {
    throw forbidden('Bara samordnare, eller en coach för sina egna deltagare, kan skriva in.');
  }
  const lansdel = requireLansdel(deps.program, input.lansdelId);
  const insats = requireInsats(deps.program, input.insatsId);
  if (input.enrolledOn > today) {
    throw invalidInput('Inskrivningsdatumet kan inte vara framåt i tiden.');
  }
  const startYear = Number(input.enrolledOn.slice(0, 4));
  const descriptors = input.consent ? descriptorsOf(input, lansdel, startYear) : {};
  return { lansdel, insats, startYear, descriptors };
}

/**
 * The change that writes a new participant with their enrolment (and any earlier steps an
 * imported row brings) as one transaction: header, history rows, outcome rows, audit entry and
 * request marker. Pure: the code series keeps it with the reserved number until it is written.
 */
export function buildEnrolment(
  deps: EnrolDeps,
  actor: Principal,
  input: Enrolment & { readonly code: string; readonly caseCode?: string },
  steps: readonly EarlierStep[] = [],
): ParticipantChange {
  const today = toLocal(deps.now()).date;
  const { lansdel, insats, startYear, descriptors } = checkEnrolment(deps, actor, input, today);
  refusePersonalIdentityNumbers(...steps.map((s) => s.which));
  const at = deps.now().toISOString();
  const events: ParticipantEvent[] = [
    {
      id: 'inskrivning',
      seq: 0,
      code: input.code,
      kind: 'step',
      step: 'inskrivning',
      on: input.enrolledOn,
      recordedBy: actor.userId,
      recordedAt: at,
    },
  ];
  let participant: Participant = {
    code: input.code,
    lansdelId: lansdel.id,
    insatsId: insats.id,
    gender: input.gender,
    startYear,
    consent: input.consent,
    enrolledOn: input.enrolledOn,
    ...descriptors,
    coachId: input.coachId,
    ...(input.coachName ? { coachName: input.coachName } : {}),
    responsibleOrganisationId: input.responsibleOrganisationId,
    ...(input.caseCode ? { caseCode: input.caseCode } : {}),
    source: input.source,
    eventCount: 1,
    ...enrolledSummary(input.enrolledOn, at, insats.followUpWeeks),
    enrolRequestId: input.requestId,
    createdAt: at,
    createdBy: actor.userId,
  };
  const ordered = [...steps].sort((a, b) => a.on.localeCompare(b.on));
  for (const step of ordered) {
    const event: ParticipantEvent = {
      id: `import-${events.length}`,
      seq: events.length,
      code: input.code,
      kind: 'step',
      step: step.step,
      on: step.on,
      ...(step.which ? { which: step.which } : {}),
      recordedBy: actor.userId,
      recordedAt: at,
    };
    events.push(event);
    participant = {
      ...withoutSummary(participant),
      ...summaryAfter(participant, event, insats.followUpWeeks),
      eventCount: events.length,
    };
  }
  const audit: AuditEntry = {
    at,
    actorId: actor.userId,
    ...(actor.organisationId ? { actorOrganisationId: actor.organisationId } : {}),
    action: input.source === 'import' ? 'participants.import' : 'participants.enrol',
    subjectType: 'participant',
    subjectId: input.code,
    details: {
      lansdelId: lansdel.id,
      insatsId: insats.id,
      consent: input.consent,
      via: input.source,
      ...(steps.length > 0 ? { steps: steps.length } : {}),
      ...(input.caseCode ? { caseCode: input.caseCode } : {}),
    },
  };
  return {
    participant,
    events,
    outcomes: outcomeSteps(events).map((e) => ({ step: e.step!, on: e.on, seq: e.seq })),
    audit: [audit],
    requestKey: `enrol|${input.requestId}`,
  };
}

/** What a user is told when a code was taken but its participant could not be written yet. */
export const reservedText = (code: string) =>
  `Deltagaren har fått koden ${code}, men lagringen svarade inte när uppgifterna skulle sparas. Inskrivningen slutförs automatiskt så snart lagringen svarar igen. Skicka formuläret igen om en stund för att se deltagaren.`;

/**
 * Makes sure the participant a request got `code` for is stored: finishes its reservation, or,
 * for a code the previous release handed out without writing its participant, writes it now.
 * `written` is the participant when this call wrote it. When storage fails after the code was
 * taken the user hears that the enrolment will be finished (it will: whoever comes next).
 */
export async function landEnrolment(
  repository: ParticipantRepository,
  code: string,
  build: () => ParticipantChange,
): Promise<{ participant: Participant; written: boolean }> {
  try {
    const finished = await repository.finish(code);
    if (finished.kind === 'written') return { participant: finished.participant, written: true };
    const stored = await repository.get(code);
    if (stored) return { participant: stored.value, written: false };
    const change = build();
    const outcome = await repository.commit(change);
    return { participant: change.participant, written: outcome.kind === 'committed' };
  } catch (error) {
    if (isAppError(error, 'storage-unavailable') || isAppError(error, 'outcome-unknown')) {
      throw new AppError(error.reason, reservedText(code), { cause: error });
    }
    throw error;
  }
}

/** The header without its summary fields (they are recomputed on every change). */
export function withoutSummary(participant: Participant) {
  const {
    lastContactOn: _c,
    lastFollowUpOn: _l,
    nextFollowUpOn: _n,
    endedOn: _e,
    ...rest
  } = participant;
  return rest;
}

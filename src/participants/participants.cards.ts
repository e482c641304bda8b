import type { Member, Organisation } from '../access/access.schema.js';
import { isOverdue } from './follow-up.js';
import {
  ageLabels,
  deviationLabels,
  genderLabels,
  referralLabels,
  stepLabels,
} from './participant-labels.js';
import type { ParticipantView } from './participants.service.js';
import {
  AGE_GROUPS,
  DEVIATIONS,
  GENDERS,
  REFERRALS,
  STEPS,
  type Participant,
  type ParticipantEvent,
} from './participants.schema.js';
import type { Program } from '../program.js';
import { newId } from '../ids.js';

export interface Notice {
  readonly text: string;
  readonly isError: boolean;
}
const none: Notice = { text: '', isError: false };

const choices = <K extends string>(keys: readonly K[], labels: Record<K, string>) =>
  keys.map((value) => ({ title: labels[value], value }));

/** The values a filled-in form had, to show again beside an error. */
export type FormValues = Partial<
  Record<
    | 'insatsId'
    | 'lansdelId'
    | 'enrolledOn'
    | 'gender'
    | 'responsibleOrganisationId'
    | 'coachId'
    | 'caseCode'
    | 'consent'
    | 'birthYear'
    | 'ageGroup'
    | 'kommun'
    | 'referral',
    string
  >
>;

/**
 * The enrolment form; samordnare choose the coach, a coach enrols for themselves. The kommun
 * list is the chosen länsdel's. `blocked` explains, when the form opens, why nobody can be
 * enrolled yet (no coach, no länsdel or insats), instead of failing after the form is filled in.
 */
export function participantFormView(input: {
  program: Program;
  organisations: readonly Organisation[];
  coaches?: readonly Member[];
  today: string;
  values?: FormValues;
  error?: string;
  blocked?: string;
  requestId?: string;
}) {
  const { program } = input;
  const only = <T extends { id: string }>(list: readonly T[]) =>
    list.length === 1 ? list[0]!.id : '';
  const values = {
    insatsId: only(program.insatser),
    lansdelId: only(program.lansdelar),
    enrolledOn: input.today,
    gender: '',
    responsibleOrganisationId: '',
    coachId: input.coaches?.length === 1 ? input.coaches[0]!.id : '',
    caseCode: '',
    consent: 'false',
    birthYear: '',
    ageGroup: '',
    kommun: '',
    referral: '',
    ...input.values,
  };
  const lansdel = program.lansdelar.find((l) => l.id === values.lansdelId);
  if (lansdel && !lansdel.kommuner.includes(values.kommun)) values.kommun = '';
  return {
    requestId: input.requestId ?? newId(),
    error: input.error ?? '',
    blocked: input.blocked ?? '',
    showCoach: input.coaches !== undefined,
    manyLansdelar: program.lansdelar.length > 1,
    insatser: program.insatser.map((i) => ({ title: i.name, value: i.id })),
    lansdelar: program.lansdelar.map((l) => ({
      title: `${l.name} (${l.kommuner.join(', ')})`,
      value: l.id,
    })),
    kommuner: (lansdel?.kommuner ?? []).map((k) => ({ title: k, value: k })),
    kommunHint: lansdel
      ? ''
      : 'Välj länsdel och sedan Visa kommuner för vald länsdel, så visas länsdelens kommuner.',
    genders: choices(GENDERS, genderLabels),
    ageGroups: choices(AGE_GROUPS, ageLabels),
    referrals: choices(REFERRALS, referralLabels),
    organisations: input.organisations.map((o) => ({ title: o.name, value: o.id })),
    coaches: (input.coaches ?? []).map((c) => ({ title: c.displayName ?? c.id, value: c.id })),
    values,
  };
}

function nextText(participant: Participant, today: string): string {
  if (!participant.nextFollowUpOn) return `Avslutad ${participant.endedOn ?? ''}`.trim();
  return isOverdue(participant, today)
    ? `Uppföljning försenad – skulle ske senast ${participant.nextFollowUpOn}`
    : `Nästa uppföljning senast ${participant.nextFollowUpOn}`;
}

export const LIST_PAGE_SIZE = 20;
const OVERDUE_SHOWN = 20;

/**
 * `/deltagare`: the coach's own participants (or all, for samordnare), a page at a time so the
 * card stays within Teams' size limit, with the overdue follow-ups first.
 */
export function participantListView(input: {
  heading: string;
  participants: readonly Participant[];
  overdue: readonly Participant[];
  program: Program;
  today: string;
  emptyText: string;
  page?: number;
  notice?: Notice;
}) {
  const total = input.participants.length;
  const pages = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
  const page = Math.min(Math.max(input.page ?? 0, 0), pages - 1);
  const first = page * LIST_PAGE_SIZE;
  const shown = input.participants.slice(first, first + LIST_PAGE_SIZE);
  const moreOverdue = input.overdue.length - OVERDUE_SHOWN;
  const insats = new Map(input.program.insatser.map((i) => [i.id, i.name]));
  const lansdel = new Map(input.program.lansdelar.map((l) => [l.id, l.name]));
  const notice = input.notice ?? none;
  return {
    heading: `${input.heading} (${total})`,
    notice: notice.text,
    noticeIsError: notice.isError,
    emptyText: input.emptyText,
    overdueCount: input.overdue.length,
    overdue: input.overdue.slice(0, OVERDUE_SHOWN).map((p) => ({
      code: p.code,
      text: `skulle följas upp senast ${p.nextFollowUpOn}`,
    })),
    overdueMore: moreOverdue > 0 ? `… och ${moreOverdue} till.` : '',
    pageText:
      total > LIST_PAGE_SIZE ? `Visar ${first + 1}–${first + shown.length} av ${total}` : '',
    previousPage: page > 0 ? page - 1 : -1,
    nextPage: page < pages - 1 ? page + 1 : -1,
    items: shown.map((p) => ({
      code: p.code,
      step: `${stepLabels[p.currentStep]} sedan ${p.currentStepOn}`,
      meta: `${insats.get(p.insatsId) ?? p.insatsId} · ${lansdel.get(p.lansdelId) ?? p.lansdelId}`,
      next: nextText(p, input.today),
      overdue: isOverdue(p, input.today),
    })),
  };
}

function eventLabel(event: ParticipantEvent): string {
  switch (event.kind) {
    case 'step':
      return event.step === 'annanInsats' && event.which
        ? `${stepLabels.annanInsats}: ${event.which}`
        : stepLabels[event.step ?? 'inskrivning'];
    case 'followUp':
      return 'Uppföljning';
    case 'deviation':
      return `Avvikelse: ${deviationLabels[event.deviation ?? 'uteblivet']}`;
  }
}

/** The values of the step, follow-up and avvikelse forms, kept after a refused submit. */
export type RecordFormValues = Partial<
  Record<
    | 'stepStep'
    | 'stepOn'
    | 'stepWhich'
    | 'stepNote'
    | 'followUpOn'
    | 'followUpNote'
    | 'deviationKind'
    | 'deviationOn'
    | 'deviationNote',
    string
  >
>;

/**
 * `/deltagare visa <kod>`: the facts the register keeps, one page of the timeline (newest
 * first, "Visa fler" for older rows) and the forms to add to it.
 */
export function participantView(
  view: ParticipantView,
  input: {
    today: string;
    organisationName: string;
    coachName: string;
    notice?: Notice;
    values?: RecordFormValues;
    /** Where this page starts, when it is not the newest. */
    after?: string;
  },
) {
  const { participant: p } = view;
  const notice = input.notice ?? none;
  const facts = [
    { title: 'Insats', value: view.insats.name },
    { title: 'Länsdel', value: view.lansdel.name },
    { title: 'Kön', value: genderLabels[p.gender] },
    { title: 'Startår', value: String(p.startYear) },
    ...(p.consent
      ? [
          {
            title: 'Ålder',
            value: p.birthYear
              ? `född ${p.birthYear} (${ageLabels[p.ageGroup!]})`
              : ageLabels[p.ageGroup!],
          },
          { title: 'Kommun', value: p.kommun ?? '' },
          { title: 'Remitterad från', value: referralLabels[p.referral!] },
          { title: 'Uppföljning Finsam', value: 'Samtycke finns' },
        ]
      : [
          {
            title: 'Uppföljning Finsam',
            value: 'Inget samtycke: bara kön och startår registreras',
          },
        ]),
    { title: 'Inskriven', value: p.enrolledOn },
    { title: 'Coach', value: input.coachName },
    { title: 'Ansvarig organisation', value: input.organisationName },
    ...(p.caseCode ? [{ title: 'Ärende', value: p.caseCode }] : []),
    { title: 'Uppföljning', value: nextText(p, input.today) },
  ];
  const shown = view.timeline.events.length;
  const timelineText =
    p.eventCount > shown
      ? `${input.after ? 'Äldre händelser' : 'De senaste'}: ${shown} av ${p.eventCount}, nyaste först.`
      : `${p.eventCount} ${p.eventCount === 1 ? 'händelse' : 'händelser'}, nyaste först.`;
  return {
    code: p.code,
    lansdel: p.lansdelId,
    stepLine: `${stepLabels[p.currentStep]} sedan ${p.currentStepOn}`,
    notice: notice.text,
    noticeIsError: notice.isError,
    facts,
    timelineText,
    timeline: view.timeline.events.map((e) => ({
      date: e.on,
      label: eventLabel(e),
      note: e.note ?? '',
      isDeviation: e.kind === 'deviation',
    })),
    olderAfter: view.timeline.next ?? '',
    showNewest: input.after !== undefined,
    steps: STEPS.filter((s) => s !== 'inskrivning').map((s) => ({
      title: stepLabels[s],
      value: s,
    })),
    deviations: choices(DEVIATIONS, deviationLabels),
    organisation: input.organisationName,
    today: input.today,
    values: {
      stepStep: '',
      stepOn: input.today,
      stepWhich: '',
      stepNote: '',
      followUpOn: input.today,
      followUpNote: '',
      deviationKind: '',
      deviationOn: input.today,
      deviationNote: '',
      ...input.values,
    },
    stepRequestId: newId(),
    followUpRequestId: newId(),
    deviationRequestId: newId(),
  };
}

import { randomUUID } from 'node:crypto';
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
import type { Program } from './program.js';

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

/** The enrolment form; samordnare choose the coach, a coach enrols for themselves. */
export function participantFormView(input: {
  program: Program;
  organisations: readonly Organisation[];
  coaches?: readonly Member[];
  today: string;
  values?: FormValues;
  error?: string;
}) {
  const { program } = input;
  const only = <T extends { id: string }>(list: readonly T[]) =>
    list.length === 1 ? list[0]!.id : '';
  return {
    requestId: randomUUID(),
    error: input.error ?? '',
    showCoach: input.coaches !== undefined,
    insatser: program.insatser.map((i) => ({ title: i.name, value: i.id })),
    lansdelar: program.lansdelar.map((l) => ({
      title: `${l.name} (${l.kommuner.join(', ')})`,
      value: l.id,
    })),
    kommuner: program.lansdelar.flatMap((l) =>
      l.kommuner.map((k) => ({ title: `${k} (${l.name})`, value: k })),
    ),
    genders: choices(GENDERS, genderLabels),
    ageGroups: choices(AGE_GROUPS, ageLabels),
    referrals: choices(REFERRALS, referralLabels),
    organisations: input.organisations.map((o) => ({ title: o.name, value: o.id })),
    coaches: (input.coaches ?? []).map((c) => ({ title: c.displayName ?? c.id, value: c.id })),
    values: {
      insatsId: only(program.insatser),
      lansdelId: only(program.lansdelar),
      enrolledOn: input.today,
      gender: '',
      responsibleOrganisationId: '',
      coachId: '',
      caseCode: '',
      consent: 'false',
      birthYear: '',
      ageGroup: '',
      kommun: '',
      referral: '',
      ...input.values,
    },
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

/** `/deltagare visa <kod>`: the facts the register keeps, the timeline and the forms to add to it. */
export function participantView(
  view: ParticipantView,
  input: { today: string; organisationName: string; coachName: string; notice?: Notice },
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
  return {
    code: p.code,
    stepLine: `${stepLabels[p.currentStep]} sedan ${p.currentStepOn}`,
    notice: notice.text,
    noticeIsError: notice.isError,
    facts,
    timeline: view.events.map((e) => ({
      date: e.on,
      label: eventLabel(e),
      note: e.note ?? '',
      isDeviation: e.kind === 'deviation',
    })),
    steps: STEPS.filter((s) => s !== 'inskrivning').map((s) => ({
      title: stepLabels[s],
      value: s,
    })),
    deviations: choices(DEVIATIONS, deviationLabels),
    organisation: input.organisationName,
    today: input.today,
    stepRequestId: randomUUID(),
    followUpRequestId: randomUUID(),
    deviationRequestId: randomUUID(),
  };
}

import { describe, expect, it } from 'vitest';
import {
  addOneMonth,
  enrolledSummary,
  summarise,
  summaryAfter,
} from '../../src/participants/follow-up.js';
import {
  participantSchema,
  type ParticipantEvent,
} from '../../src/participants/participants.schema.js';
import { ageGroupOf } from '../../src/participants/participants.service.js';

const event = (
  id: string,
  kind: ParticipantEvent['kind'],
  on: string,
  extra: Partial<ParticipantEvent> = {},
): ParticipantEvent => ({
  id,
  seq: id.charCodeAt(0),
  code: 'D-2026-0001',
  kind,
  on,
  recordedBy: '29:leila',
  recordedAt: `${on}T10:00:00.000Z`,
  ...extra,
});

describe('follow-ups', () => {
  it('when nothing has happened since enrolment, then the first follow-up is due within a month', () => {
    expect(summarise('2026-01-31', [], 6)).toMatchObject({
      currentStep: 'inskrivning',
      nextFollowUpOn: '2026-02-28',
    });
    expect(addOneMonth('2026-12-15')).toBe('2027-01-15');
  });

  it('when a step or a follow-up is recorded, then the next is due one interval after the latest contact; a deviation is no contact', () => {
    const summary = summarise(
      '2026-01-10',
      [
        event('a', 'step', '2026-02-01', { step: 'kartlaggning' }),
        event('b', 'followUp', '2026-03-01'),
        event('c', 'deviation', '2026-04-01', { deviation: 'uteblivet' }),
      ],
      6,
    );
    expect(summary).toMatchObject({
      currentStep: 'kartlaggning',
      lastFollowUpOn: '2026-03-01',
      nextFollowUpOn: '2026-04-12',
    });
  });

  it('when the participant ends, then no follow-up is due', () => {
    const summary = summarise(
      '2026-01-10',
      [event('a', 'step', '2026-02-01', { step: 'avbrott' })],
      6,
    );
    expect(summary.endedOn).toBe('2026-02-01');
    expect(summary.nextFollowUpOn).toBeUndefined();
  });
});

describe('the summary kept on the header', () => {
  const enrolled = {
    code: 'D-2026-0001',
    lansdelId: 'norra',
    insatsId: 'sikta',
    gender: 'man' as const,
    startYear: 2026,
    consent: false,
    enrolledOn: '2026-01-10',
    coachId: '29:leila',
    responsibleOrganisationId: 'fk',
    eventCount: 1,
    ...enrolledSummary('2026-01-10', '2026-01-10T08:00:00.000Z', 6),
    enrolRequestId: 'req-0000001',
    createdAt: '2026-01-10T08:00:00.000Z',
    createdBy: '29:leila',
  };

  it('when events come one at a time, in any date order, then the summary is the same as from the whole history', () => {
    const history = [
      event('a', 'step', '2026-03-01', {
        step: 'arbetstraning',
        recordedAt: '2026-03-01T10:00:00.000Z',
      }),
      event('b', 'followUp', '2026-02-01', { recordedAt: '2026-03-02T10:00:00.000Z' }),
      event('c', 'step', '2026-03-01', {
        step: 'avslutad',
        recordedAt: '2026-03-03T10:00:00.000Z',
      }),
      event('d', 'step', '2026-02-15', {
        step: 'kartlaggning',
        recordedAt: '2026-03-04T10:00:00.000Z',
      }),
      event('e', 'deviation', '2026-03-05', {
        deviation: 'uteblivet',
        recordedAt: '2026-03-05T10:00:00.000Z',
      }),
    ];
    let header = { ...enrolled };
    for (const e of history) header = { ...header, ...summaryAfter(header, e, 6) };
    const whole = summarise('2026-01-10', history, 6);
    expect(header).toMatchObject(whole);
    expect(whole).toMatchObject({ currentStep: 'avslutad', endedOn: '2026-03-01' });
    expect(whole.nextFollowUpOn).toBeUndefined();
  });
});

describe('what the register keeps', () => {
  const base = {
    code: 'D-2026-0001',
    lansdelId: 'norra',
    insatsId: 'sikta',
    gender: 'man',
    startYear: 2026,
    enrolledOn: '2026-03-01',
    coachId: '29:leila',
    responsibleOrganisationId: 'fk',
    eventCount: 1,
    currentStep: 'inskrivning',
    currentStepOn: '2026-03-01',
    currentStepAt: '2026-03-01T08:00:00.000Z',
    enrolRequestId: 'req-0000001',
    createdAt: '2026-03-01T08:00:00.000Z',
    createdBy: '29:leila',
  };

  it('when there is no consent, then a birth year, kommun or referral is refused', () => {
    expect(participantSchema.safeParse({ ...base, consent: false }).success).toBe(true);
    for (const extra of [
      { birthYear: 1990 },
      { kommun: 'Eskilstuna' },
      { referral: 'annan' },
      { ageGroup: '50+' },
    ]) {
      expect(participantSchema.safeParse({ ...base, consent: false, ...extra }).success).toBe(
        false,
      );
    }
  });

  it('when the age is given as a birth year, then the band follows the age in the start year', () => {
    expect(ageGroupOf(1997, 2026)).toBe('under30');
    expect(ageGroupOf(1996, 2026)).toBe('30-49');
    expect(ageGroupOf(1977, 2026)).toBe('30-49');
    expect(ageGroupOf(1976, 2026)).toBe('50+');
  });
});

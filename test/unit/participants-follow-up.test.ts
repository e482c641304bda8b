import { describe, expect, it } from 'vitest';
import {
  addOneMonth,
  enrolledSummary,
  summarise,
  summaryAfter,
} from '../../src/participants/follow-up.js';
import { stepLabels, stepRecordedText } from '../../src/participants/participant-labels.js';
import {
  participantSchema,
  STEPS,
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

describe('the first follow-up', () => {
  const header = (enrolledOn: string) => ({
    code: 'D-2026-0001',
    lansdelId: 'norra',
    insatsId: 'sikta',
    gender: 'kvinna' as const,
    startYear: Number(enrolledOn.slice(0, 4)),
    consent: false,
    enrolledOn,
    coachId: '29:leila',
    responsibleOrganisationId: 'fk',
    eventCount: 1,
    ...enrolledSummary(enrolledOn, `${enrolledOn}T08:00:00.000Z`, 8),
    enrolRequestId: 'req-0000001',
    createdAt: `${enrolledOn}T08:00:00.000Z`,
    createdBy: '29:leila',
  });

  for (const step of STEPS.filter(
    (s) => s !== 'inskrivning' && s !== 'avbrott' && s !== 'avslutad',
  )) {
    it(`when ${step} is recorded before any follow-up, then the first follow-up stays within one month of enrolment`, () => {
      let p = header('2026-11-02');
      for (const on of ['2026-11-03', '2026-11-20', '2026-12-01']) {
        p = { ...p, ...summaryAfter(p, event('s', 'step', on, { step }), 8) };
      }
      expect(p.nextFollowUpOn).toBe('2026-12-02');
      expect(p.lastContactOn).toBe('2026-12-01');
      expect(p.lastFollowUpOn).toBeUndefined();
    });
  }

  it('when the enrolment is on the 31st, then the first follow-up is the last day of the next month, leap years too', () => {
    for (const [enrolledOn, due] of [
      ['2026-01-31', '2026-02-28'],
      ['2028-01-31', '2028-02-29'],
      ['2026-12-31', '2027-01-31'],
    ] as const) {
      const p = header(enrolledOn);
      const after = summaryAfter(p, event('s', 'step', enrolledOn, { step: 'kartlaggning' }), 8);
      expect(after.nextFollowUpOn).toBe(due);
    }
  });

  it('when the first follow-up is recorded, then later ones come one interval after the latest contact, a step included', () => {
    let p = header('2026-11-02');
    p = { ...p, ...summaryAfter(p, event('f', 'followUp', '2026-11-25'), 8) };
    expect(p.nextFollowUpOn).toBe('2027-01-20');
    p = {
      ...p,
      ...summaryAfter(p, event('s', 'step', '2026-12-10', { step: 'arbetstraning' }), 8),
    };
    expect(p.nextFollowUpOn).toBe('2027-02-04');
    p = {
      ...p,
      ...summaryAfter(p, event('d', 'deviation', '2026-12-20', { deviation: 'uteblivet' }), 8),
    };
    expect(p.nextFollowUpOn).toBe('2027-02-04');
    expect(
      summarise('2026-11-02', [event('s', 'step', '2026-11-03', { step: 'studiebesok' })], 8),
    ).toMatchObject({ nextFollowUpOn: '2026-12-02', lastContactOn: '2026-11-03' });
  });
});

describe('the notice after a step', () => {
  for (const step of STEPS.filter((s) => s !== 'inskrivning')) {
    it(`when ${step} is recorded, then the notice names the step after "Steget" and says what comes next`, () => {
      const text = stepRecordedText(step, '2026-11-20', {
        nextFollowUpOn: '2026-12-02',
        code: 'D-2026-0001',
      });
      expect(text).toBe(
        `Steget ${stepLabels[step].toLocaleLowerCase('sv-SE')} är registrerat för D-2026-0001 (2026-11-20). Nästa uppföljning senast 2026-12-02.`,
      );
      expect(text.normalize('NFC')).toBe(text);
      expect(text).not.toMatch(/^[A-ZÅÄÖ][a-zåäö]+ är registrerat/);
    });
  }

  it('when the step ends the insats, then the notice says no more follow-ups are due', () => {
    expect(stepRecordedText('avbrott', '2026-11-20', {})).toBe(
      'Steget avbrott är registrerat (2026-11-20). Inga fler uppföljningar: deltagaren har avslutat insatsen.',
    );
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

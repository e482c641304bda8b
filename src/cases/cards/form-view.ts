import { z } from 'zod';
import type { MeetingSlot } from '../case-ports.js';
import { caseRequestLabels, CASE_REQUESTS } from '../cases.schema.js';
import { NO_MEETING_CARD, type BackToMeeting } from './case-card-view.js';
import { newId } from '../../ids.js';

/** The form's choice for "no preference": the next meeting in the channel. */
export const NEXT_MEETING = 'nasta';

/** The submission form's fields as typed (strings only); a refused one comes back empty. */
export interface FormValues {
  readonly requestId?: string;
  readonly reason?: string;
  readonly request?: string;
  readonly insats?: string;
  readonly urgency?: string;
  readonly preferredMeetingId?: string;
  readonly consent?: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

export function formValuesOf(values: Readonly<Record<string, unknown>>): FormValues {
  const pick = (name: keyof FormValues) => {
    const found = text(values[name]);
    return found === undefined ? {} : { [name]: found };
  };
  return {
    ...pick('requestId'),
    ...pick('reason'),
    ...pick('request'),
    ...pick('insats'),
    ...pick('urgency'),
    ...pick('preferredMeetingId'),
    ...pick('consent'),
  };
}

/** The submission form; the organisation comes from the submitter's role. */
export function formView(
  organisationName: string,
  upcoming: readonly MeetingSlot[],
  values: FormValues = {},
  error = '',
  back: BackToMeeting = NO_MEETING_CARD,
) {
  const seen = new Set<string>();
  const meetings = upcoming
    .filter((slot) => !seen.has(slot.meetingId) && seen.add(slot.meetingId))
    .map((slot) => ({ title: `${slot.meetingName} (nästa ${slot.date})`, value: slot.meetingId }));
  const request = CASE_REQUESTS.find((r) => r === values.request) ?? 'insats';
  const preferred = meetings.some((m) => m.value === values.preferredMeetingId)
    ? values.preferredMeetingId!
    : NEXT_MEETING;
  return {
    organisation: organisationName,
    error,
    requestId: z.uuid().safeParse(values.requestId).success ? values.requestId! : newId(),
    reason: values.reason ?? '',
    request,
    insats: values.insats ?? '',
    urgency: values.urgency === 'skyndsam' ? 'skyndsam' : 'normal',
    preferredMeetingId: preferred,
    consent: values.consent === 'true' ? 'true' : 'false',
    requests: CASE_REQUESTS.map((r) => ({ title: caseRequestLabels[r], value: r })),
    meetings: [{ title: 'Nästa möte här', value: NEXT_MEETING }, ...meetings],
    back,
  };
}

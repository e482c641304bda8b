import type { Principal } from '../../access/access.schema.js';
import type { MeetingSlot } from '../case-ports.js';
import type { CaseSummary } from '../cases.schema.js';
import { nextSteps } from './case-buttons.js';
import { NO_NOTICE, summaryRow, type Notice, type OrgNames } from './case-text.js';

/** The meeting card a form was opened from, to go back to; empty when opened by command. */
export interface BackToMeeting {
  readonly meetingId: string;
  readonly date: string;
}
export const NO_MEETING_CARD: BackToMeeting = { meetingId: '', date: '' };

/** How a meeting choice travels in a card: `<meeting id>|<occurrence date>`. */
export const slotChoice = (slot: Pick<MeetingSlot, 'meetingId' | 'key'>) =>
  `${slot.meetingId}|${slot.key}`;

export interface CaseCardOptions {
  readonly notice?: Notice;
  readonly back?: BackToMeeting;
  /** Offer a choice of meetings to move the case to. */
  readonly moveTo?: readonly MeetingSlot[];
  /** Ask to confirm closing. */
  readonly confirmClose?: boolean;
  /** The people whose Teams asks for their own view of this card (channel copies). */
  readonly refreshUserIds?: readonly string[];
}

/**
 * One case as its channel may see it (code, status, organisation, meeting), with the next steps
 * the viewer can take: the card every button on a case answers with. Without a viewer it is the
 * channel's copy: no steps, and "Visa mina val" for everyone.
 */
export function caseCardView(
  summary: CaseSummary,
  names: OrgNames,
  viewer: Principal | undefined,
  options: CaseCardOptions = {},
) {
  const notice = options.notice ?? NO_NOTICE;
  const moveTo = options.moveTo ?? [];
  const steps = nextSteps(summary, viewer);
  const current = summary.plan
    ? slotChoice({ meetingId: summary.plan.meetingId, key: summary.plan.date })
    : '';
  const choices = moveTo
    .map((slot) => ({ title: `${slot.meetingName} ${slot.date}`, value: slotChoice(slot) }))
    .filter((choice) => choice.value !== current);
  const choosing = choices.length > 0;
  return {
    ...summaryRow(summary, names),
    ...steps,
    ...(choosing || options.confirmClose
      ? { canMove: false, canClose: false, hasSteps: steps.canView }
      : {}),
    notice: notice.text,
    noticeIsError: notice.isError,
    chooseMeeting: choosing,
    meetings: choices,
    chosen: choices[0]?.value ?? '',
    confirmClose: options.confirmClose ?? false,
    back: options.back ?? NO_MEETING_CARD,
    shared: viewer === undefined,
    refreshUserIds: [...(options.refreshUserIds ?? [])],
  };
}

import { renderCard, type CardJson, type CardName } from '../../bot/card-renderer.js';

/** Templates of this capability that the shared `CardName` list does not name yet. */
export type MeetingCardName =
  'agenda-manage' | 'meeting-record' | 'meeting-ended' | 'dialog-agenda-item';

/** Renders one of this capability's own templates (`cards/<name>.json`). */
export function renderMeetingCard(name: MeetingCardName, data: object): CardJson {
  return renderCard(name as unknown as CardName, data);
}

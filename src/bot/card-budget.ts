import type { Activity } from 'botbuilder';
import { CardFactory, MessageFactory } from 'botbuilder';
import { renderCard, type CardJson } from './card-renderer.js';

/**
 * The most a message the bot sends (or an invoke answer's card) may weigh, serialized as UTF-8.
 * @remarks Teams refuses bot messages above about 100 KB (`MessageSizeTooBig`); the budget keeps
 * a wide margin for the envelope Teams adds and for clients that render slowly.
 */
export const CARD_BUDGET_BYTES = 40 * 1024;

export type BudgetCheck =
  { readonly ok: true; readonly bytes: number } | { readonly ok: false; readonly bytes: number };

/** The size of a value as it goes over the wire: its JSON in UTF-8 bytes. */
export function serializedBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/** Measures the activity exactly as it will be sent and compares it with the budget. */
export function checkBudget(value: unknown, budget = CARD_BUDGET_BYTES): BudgetCheck {
  const bytes = serializedBytes(value);
  return bytes <= budget ? { ok: true, bytes } : { ok: false, bytes };
}

const DEFAULT_HINT =
  'Öppna uppgifterna i din chatt med boten, eller skriv kommandot igen med ett smalare urval ' +
  '(till exempel ett visst datum eller en viss kod). Skriv /hjälp om du vill se hur.';

/**
 * The short card shown instead of one that would exceed the budget: it says that the details did
 * not fit and how to see them. `hint` is the capability's own Swedish instruction, e.g. which
 * command shows the details a page at a time. The card it replaces is given so that its own
 * notice (what just happened: "Punkten är tillagd", or why not) still reaches the user.
 */
export function oversizeNoticeCard(hint = DEFAULT_HINT, replaced?: unknown): CardJson {
  const notice = noticeOf(replaced);
  return renderCard('card-too-large', {
    notice: notice?.text ?? '',
    noticeIsError: notice?.isError ?? false,
    text: `Kortet blev större än Teams tillåter, så det skickades inte. ${hint}`.normalize('NFC'),
  });
}

/** {@link oversizeNoticeCard} as a message activity. */
export function oversizeNoticeMessage(hint?: string, replaced?: unknown): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(oversizeNoticeCard(hint, replaced)));
}

/**
 * A card's own notice: a top-level text block near the top with the id `notice`, or coloured
 * Good or Attention (how every card template here shows what just happened).
 */
function noticeOf(card: unknown): { text: string; isError: boolean } | undefined {
  const body = (card as { body?: unknown } | undefined)?.body;
  if (!Array.isArray(body)) return undefined;
  const candidates = body.slice(0, 5) as {
    type?: unknown;
    id?: unknown;
    text?: unknown;
    color?: unknown;
  }[];
  const notice =
    candidates.find((element) => element.type === 'TextBlock' && element.id === 'notice') ??
    candidates.find(
      (element) =>
        element.type === 'TextBlock' && (element.color === 'Good' || element.color === 'Attention'),
    );
  if (typeof notice?.text !== 'string' || notice.text.length > 1_000) return undefined;
  return { text: notice.text, isError: notice.color === 'Attention' };
}

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * Replaces, in an outgoing turn activity, a card that exceeds the budget by the notice card:
 * a message is swapped whole, an invoke answer (`Action.Execute`) gets the notice as its card.
 * Returns the activity unchanged (same object) when it fits, so callers can tell.
 */
export function withinBudget(activity: Partial<Activity>, hint?: string): Partial<Activity> {
  if (activity.type === 'invokeResponse') {
    const body = (activity.value as { body?: { type?: unknown; value?: unknown } } | undefined)
      ?.body;
    if (body?.type !== ADAPTIVE_CARD || checkBudget(activity).ok) return activity;
    const value = activity.value as Record<string, unknown>;
    const notice = oversizeNoticeCard(hint, body.value);
    return { ...activity, value: { ...value, body: { ...body, value: notice } } };
  }
  if (activity.type !== 'message' || checkBudget(activity).ok) return activity;
  const { attachments, text: _text, ...envelope } = activity;
  return { ...envelope, ...oversizeNoticeMessage(hint, cardIn(attachments)) };
}

function cardIn(attachments: Partial<Activity>['attachments']): unknown {
  return attachments?.find((attachment) => attachment.contentType === ADAPTIVE_CARD)?.content;
}

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
 * command shows the details a page at a time.
 */
export function oversizeNoticeCard(hint = DEFAULT_HINT): CardJson {
  return renderCard('notice', {
    title: 'Innehållet är för stort för att visas här',
    text: `Kortet blev större än Teams tillåter, så det skickades inte. ${hint}`.normalize('NFC'),
    tone: 'attention',
  });
}

/** {@link oversizeNoticeCard} as a message activity. */
export function oversizeNoticeMessage(hint?: string): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(oversizeNoticeCard(hint)));
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
    return { ...activity, value: { ...value, body: { ...body, value: oversizeNoticeCard(hint) } } };
  }
  if (activity.type !== 'message' || checkBudget(activity).ok) return activity;
  const { attachments: _attachments, text: _text, ...envelope } = activity;
  return { ...envelope, ...oversizeNoticeMessage(hint) };
}

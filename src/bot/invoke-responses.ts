import { ActivityTypes, type Activity } from 'botbuilder';
import { renderCard, type CardJson } from './card-renderer.js';

const UNAVAILABLE = 'Den funktionen finns inte i Finsam. Skriv /hjälp för att se vad boten kan.';

/** The invoke answer that replaces the clicked card with `card` for the user who clicked. */
export function cardInvokeResponse(card: CardJson): Partial<Activity> {
  return {
    type: ActivityTypes.InvokeResponse,
    value: {
      status: 200,
      body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card },
    },
  };
}

/**
 * The answer to an invoke the bot has no handler for (a message extension, a dialog, a file
 * consent, …): a proper answer of the kind Teams expects for that invoke, saying the function is
 * not available, instead of a bare 501.
 */
export function unavailableInvokeResponse(name: string | undefined): Partial<Activity> {
  const invoke = (body: unknown) => ({
    type: ActivityTypes.InvokeResponse,
    value: { status: 200, body },
  });
  if (name === 'adaptiveCard/action') {
    return cardInvokeResponse(
      renderCard('notice', { title: 'Kortet är inaktuellt', text: UNAVAILABLE, tone: 'attention' }),
    );
  }
  if (name?.startsWith('task/')) return invoke({ task: { type: 'message', value: UNAVAILABLE } });
  if (name?.startsWith('composeExtension/')) {
    return invoke({ composeExtension: { type: 'message', text: UNAVAILABLE } });
  }
  return invoke({
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: UNAVAILABLE,
  });
}

/** An invoke name as it may be logged: a known shape, or `other`. */
export function safeName(name: string | undefined): string {
  return name && /^[A-Za-z]+\/[A-Za-z]+$/.test(name) ? name : 'other';
}

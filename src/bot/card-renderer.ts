import { readFileSync } from 'node:fs';
import { Template } from 'adaptivecards-templating';
import { CardFactory, type Attachment } from 'botbuilder';

/** The templates in `cards/`, by file name without `.json`. */
export type CardName =
  | 'help'
  | 'profile'
  | 'roles'
  | 'organisations'
  | 'notice'
  | 'card-too-large'
  | 'reminder'
  | 'reminders'
  | 'meeting-form'
  | 'meetings'
  | 'agenda'
  | 'dagordning'
  | 'meeting-run'
  | 'minutes'
  | 'action-items'
  | 'agenda-item'
  | 'case-form'
  | 'case-submitted'
  | 'case-queue'
  | 'case-detail'
  | 'case-decision'
  | 'case-waiting'
  | 'case-log'
  | 'gallring'
  | 'status'
  | 'participant-form'
  | 'participant-list'
  | 'participant'
  | 'participant-import'
  | 'report'
  | 'setup';

/** An Adaptive Card ready to send or return from an invoke. */
export type CardJson = Record<string, unknown>;

const cardsFolder = new URL('../../cards/', import.meta.url);
const templates = new Map<CardName, Template>();

function template(name: CardName): Template {
  let loaded = templates.get(name);
  if (!loaded) {
    const json: unknown = JSON.parse(readFileSync(new URL(`${name}.json`, cardsFolder), 'utf8'));
    loaded = new Template(json);
    templates.set(name, loaded);
  }
  return loaded;
}

/**
 * Binds a view-model to a card template. All text leaves in NFC, so `å`, `ä` and `ö` compare and
 * render the same whichever way they were typed.
 */
export function renderCard(name: CardName, data: object): CardJson {
  const expanded: unknown = template(name).expand({ $root: data });
  return JSON.parse(JSON.stringify(expanded).normalize('NFC')) as CardJson;
}

export function cardAttachment(name: CardName, data: object): Attachment {
  return CardFactory.adaptiveCard(renderCard(name, data));
}

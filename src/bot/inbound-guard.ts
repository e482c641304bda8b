import type { Activity } from 'botbuilder';
import { containsPersonName } from '../privacy/person-names.js';
import { containsPersonalIdentityNumber } from '../privacy/personal-identity-number.js';
import { labelOf } from './card-labels.js';

/** What the guard found, and in which submitted fields (card input ids, or `text`). */
export interface Finding {
  readonly kind: 'personal-number' | 'person-name';
  readonly fields: readonly string[];
}

/** The message a refused turn gets: names the fields by their card labels, never the values. */
export interface Refusal {
  readonly finding: Finding;
  readonly notice: string;
  /** The card action's verb, when the turn was a card action. */
  readonly verb?: string;
  /** The message action's command id, when the turn was a dialog's submit. */
  readonly dialog?: string;
  /** The submitted card values with every refused field emptied (card actions and dialogs). */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** Capabilities whose text describes participants and cases: names are refused there too. */
const PERSON_TEXT_VERBS = /^(cases|participants)\./;
const PERSON_TEXT_COMMANDS = /^\s*\/?(ärenden|arenden|deltagare)(\s|$)/iu;
const MESSAGE_FIELD = 'text';

/**
 * Looks at every string a user can put into an inbound activity (the message text and its
 * attachments, the card's `value`, recursively, keys included) before anything else reads it.
 * @remarks Runs before routing, parsing, logging and storage, so a refused value reaches none.
 */
export function inspectInbound(activity: Partial<Activity>): Refusal | undefined {
  const cardAction = cardActionOf(activity);
  if (cardAction) {
    const fields = findings(cardAction.data);
    const numbers = fields.filter((field) => field.number).map((field) => field.id);
    const names = PERSON_TEXT_VERBS.test(cardAction.verb)
      ? fields.filter((field) => field.name).map((field) => field.id)
      : [];
    const rest = findings({ ...(activity.value as object), action: undefined });
    const verbHit = containsPersonalIdentityNumber(cardAction.verb);
    const finding: Finding | undefined =
      numbers.length > 0 || rest.length > 0 || verbHit
        ? { kind: 'personal-number', fields: numbers }
        : names.length > 0
          ? { kind: 'person-name', fields: names }
          : undefined;
    if (!finding) return undefined;
    return {
      finding,
      notice: noticeFor(finding, (card) => card.startsWith(cardAction.verb.split('.')[0]!)),
      verb: cardAction.verb,
      values: emptied(cardAction.data, new Set(finding.fields)),
    };
  }
  const submit = dialogSubmitOf(activity);
  if (submit) {
    const numbers = findings(submit.data)
      .filter((field) => field.number)
      .map((field) => field.id);
    const elsewhere = findings({ ...(activity.value as object), data: undefined }).some(
      (field) => field.number,
    );
    if (numbers.length === 0 && !elsewhere) return undefined;
    const finding: Finding = {
      kind: 'personal-number',
      fields: elsewhere ? [MESSAGE_FIELD] : numbers,
    };
    return {
      finding,
      notice: noticeFor(finding, (card) => card.startsWith('dialog-')),
      dialog: submit.commandId,
      ...(elsewhere ? {} : { values: emptied(submit.data, new Set(numbers)) }),
    };
  }
  const texts = [
    activity.text,
    activity.value,
    activity.attachments,
    activity.summary,
    activity.entities,
  ];
  const hasNumber = texts.some((part) => findings({ part }).some((field) => field.number));
  if (hasNumber) {
    const finding: Finding = { kind: 'personal-number', fields: [MESSAGE_FIELD] };
    return { finding, notice: noticeFor(finding) };
  }
  const text = (activity.text ?? '').replace(/<at[^>]*>.*?<\/at>/gis, ' ');
  if (PERSON_TEXT_COMMANDS.test(text.replace(/<[^>]+>/g, ' ')) && containsPersonName(text)) {
    const finding: Finding = { kind: 'person-name', fields: [MESSAGE_FIELD] };
    return { finding, notice: noticeFor(finding) };
  }
  return undefined;
}

/** The submitted values with the refused fields emptied and refused keys left out. */
function emptied(data: Record<string, unknown>, refused: ReadonlySet<string>) {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (refused.has(key)) values[key] = typeof value === 'string' ? '' : undefined;
    else if (!containsPersonalIdentityNumber(key)) values[key] = value;
  }
  return values;
}

/** A message action's submitted form: its command and values. */
function dialogSubmitOf(
  activity: Partial<Activity>,
): { commandId: string; data: Record<string, unknown> } | undefined {
  if (activity.type !== 'invoke' || activity.name !== 'composeExtension/submitAction') {
    return undefined;
  }
  const value = activity.value as { commandId?: unknown; data?: unknown } | undefined;
  if (typeof value?.commandId !== 'string') return undefined;
  const data =
    value.data && typeof value.data === 'object' && !Array.isArray(value.data)
      ? (value.data as Record<string, unknown>)
      : { data: value.data };
  return { commandId: value.commandId, data };
}

function cardActionOf(
  activity: Partial<Activity>,
): { verb: string; data: Record<string, unknown> } | undefined {
  if (activity.type !== 'invoke' || activity.name !== 'adaptiveCard/action') return undefined;
  const action = (activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined)
    ?.action;
  if (!action || typeof action.verb !== 'string') return undefined;
  const data =
    action.data && typeof action.data === 'object' && !Array.isArray(action.data)
      ? (action.data as Record<string, unknown>)
      : { data: action.data };
  return { verb: action.verb, data };
}

interface FieldFinding {
  readonly id: string;
  readonly number: boolean;
  readonly name: boolean;
}

/** Per top-level key of `data`: whether any string under it (keys included) holds a hit. */
function findings(data: Record<string, unknown>): FieldFinding[] {
  const found: FieldFinding[] = [];
  for (const [key, value] of Object.entries(data)) {
    const strings = [key, ...stringsIn(value)];
    const number = strings.some(containsPersonalIdentityNumber);
    const name = strings.some(containsPersonName);
    if (number || name) found.push({ id: key, number, name });
  }
  return found;
}

function stringsIn(value: unknown, depth = 0): string[] {
  if (depth > 20) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((item) => stringsIn(item, depth + 1));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [key, ...stringsIn(item, depth + 1)]);
  }
  return [];
}

function noticeFor(finding: Finding, prefer?: (card: string) => boolean): string {
  const labels = [
    ...new Set(
      finding.fields.map((field) => (field === MESSAGE_FIELD ? undefined : labelOf(field, prefer))),
    ),
  ];
  const named = labels.filter((label): label is string => !!label).map((label) => `”${label}”`);
  const where =
    finding.fields.length === 1 && finding.fields[0] === MESSAGE_FIELD
      ? 'Meddelandet'
      : named.length === 0
        ? 'Något av fälten'
        : named.length === 1
          ? `Fältet ${named[0]}`
          : `Fälten ${named.slice(0, -1).join(', ')} och ${named[named.length - 1]}`;
  const cleared =
    finding.fields[0] === MESSAGE_FIELD || finding.fields.length === 0
      ? ''
      : finding.fields.length === 1
        ? ' Fältet är tömt.'
        : ' Fälten är tömda.';
  return finding.kind === 'personal-number'
    ? `${where} verkar innehålla ett personnummer eller samordningsnummer. Sådana uppgifter får inte lämnas här – använd personens kod i stället.${cleared} Inget har sparats.`
    : `${where} verkar innehålla en persons namn. Skriv deltagarens eller ärendets kod (till exempel D-2026-0001 eller Ä-2026-0001) i stället för namnet.${cleared} Inget har sparats.`;
}

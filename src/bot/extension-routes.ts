import { ActivityTypes, CardFactory, type Activity, type TurnContext } from 'botbuilder';
import type { z } from 'zod';
import type { CardJson } from './card-renderer.js';
import type { Conversation, Turn } from './turn-port.js';

/** The message a message action was started from, as the person saw it: plain text. */
export interface SourceMessage {
  readonly id?: string;
  readonly text: string;
}

/**
 * What a dialog (task module) shows next: a form, a short message, or nothing (it closes).
 * Mapped once, here, to the protocol's `task` answers.
 */
export type DialogAnswer =
  | { readonly kind: 'form'; readonly title: string; readonly card: CardJson }
  | { readonly kind: 'message'; readonly text: string }
  | { readonly kind: 'close' };

/**
 * A message action (the … menu on any message): `open` answers `composeExtension/fetchTask`
 * with a form, `submit` answers `composeExtension/submitAction` with the form's values parsed
 * by `schema` (the only parse). `reopen` gives the form back when the turn was refused before
 * `submit` ran (values kept, refused fields emptied, the notice on top).
 */
export interface MessageAction<S extends z.ZodType> {
  readonly commandId: string;
  readonly schema: S;
  open(turn: Turn, message: SourceMessage): Promise<DialogAnswer>;
  submit(turn: Turn, message: SourceMessage, data: z.infer<S>): Promise<DialogAnswer>;
  reopen?(
    turn: Turn,
    message: SourceMessage,
    values: Readonly<Record<string, unknown>>,
    notice: string,
  ): Promise<DialogAnswer>;
}

export const MEETING_EVENTS = {
  start: 'application/vnd.microsoft.meetingStart',
  end: 'application/vnd.microsoft.meetingEnd',
} as const;
export type MeetingEventKind = keyof typeof MEETING_EVENTS;

/** A Teams meeting started or ended in a conversation the bot is in. */
export interface MeetingEvent extends Conversation {
  readonly kind: MeetingEventKind;
  /** When Teams says it happened (`StartTime` / `EndTime`), or when the event arrived. */
  readonly at: Date;
  /** The event's activity id: Teams may deliver it twice. */
  readonly activityId: string;
}

export type MeetingEventHandler = (event: MeetingEvent) => Promise<void>;

/** The invoke answer for a dialog. */
export function dialogResponse(answer: DialogAnswer): Partial<Activity> {
  const body =
    answer.kind === 'form'
      ? {
          task: {
            type: 'continue',
            value: {
              title: answer.title,
              width: 'medium',
              height: 'medium',
              card: CardFactory.adaptiveCard(answer.card),
            },
          },
        }
      : answer.kind === 'message'
        ? { task: { type: 'message', value: answer.text.normalize('NFC') } }
        : {};
  return { type: ActivityTypes.InvokeResponse, value: { status: 200, body } };
}

/** What a message action is about, from the invoke's `messagePayload`. */
export function sourceMessageOf(activity: Partial<Activity>): SourceMessage {
  const payload = (activity.value as { messagePayload?: unknown } | undefined)?.messagePayload;
  const record = payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
  const body = record.body && typeof record.body === 'object' ? record.body : {};
  const content = (body as { content?: unknown }).content;
  const type = (body as { contentType?: unknown }).contentType;
  const text = typeof content === 'string' ? (type === 'text' ? content : htmlToText(content)) : '';
  return {
    ...(typeof record.id === 'string' ? { id: record.id } : {}),
    text: text.normalize('NFC'),
  };
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Teams message HTML as the text a person reads: tags out, breaks kept, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h\d)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
      if (code.startsWith('#x') || code.startsWith('#X'))
        return String.fromCodePoint(parseInt(code.slice(2), 16));
      if (code.startsWith('#')) return String.fromCodePoint(Number(code.slice(1)));
      return ENTITIES[code.toLowerCase()] ?? whole;
    })
    .replace(/[ \t\u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The command id of a message action invoke, or undefined for any other activity. */
export function messageActionOf(
  activity: Partial<Activity>,
): { name: 'fetchTask' | 'submitAction'; commandId: string } | undefined {
  if (activity.type !== ActivityTypes.Invoke) return undefined;
  const name =
    activity.name === 'composeExtension/fetchTask'
      ? 'fetchTask'
      : activity.name === 'composeExtension/submitAction'
        ? 'submitAction'
        : undefined;
  const commandId = (activity.value as { commandId?: unknown } | undefined)?.commandId;
  return name && typeof commandId === 'string' ? { name, commandId } : undefined;
}

/** Which meeting event an activity is, if any. */
export function meetingEventOf(activity: Partial<Activity>): MeetingEventKind | undefined {
  if (activity.type !== ActivityTypes.Event) return undefined;
  if (activity.name === MEETING_EVENTS.start) return 'start';
  if (activity.name === MEETING_EVENTS.end) return 'end';
  return undefined;
}

/** When the event says the meeting started or ended; the arrival time when it does not say. */
export function meetingTimeOf(turn: TurnContext, kind: MeetingEventKind, now: Date): Date {
  const value = turn.activity.value as Record<string, unknown> | undefined;
  const raw = value?.[kind === 'start' ? 'StartTime' : 'EndTime'];
  const at = typeof raw === 'string' ? new Date(raw) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : now;
}

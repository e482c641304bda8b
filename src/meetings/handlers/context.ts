import { z } from 'zod';
import type { Member, Organisation, Principal } from '../../access/access.schema.js';
import type { Audience } from '../../access/audience.port.js';
import type { BackgroundWork } from '../../background.js';
import type { FileDelivery } from '../../documents/file-offers.js';
import type { CardJson } from '../../bot/card-renderer.js';
import { errorText } from '../../bot/error-text.js';
import { isAppError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { localDateSchema } from '../../schedule/schedule.schema.js';
import { orgNames, refused, type Notice } from '../cards/card-parts.js';
import type { SeriesRepository } from '../meetings.repository.js';
import { seriesIdSchema } from '../meetings.schema.js';
import type { ChannelCards, PostDeps } from '../posting/channel-cards.js';
import { publisher } from '../posting/publish.js';
import type { MeetingReminderPort } from '../reminders/meeting-reminders.js';
import { FormError } from '../series/form-error.js';
import type { OccurrenceRef } from '../series/unit-of-work.js';

/** What the meetings capability is built from (wired in the composition root). */
export interface MeetingsDeps {
  readonly repo: SeriesRepository;
  readonly access: {
    listOrganisations(): Promise<Organisation[]>;
    listPeople(actor: Principal): Promise<Member[]>;
  };
  readonly now: () => Date;
  /** Posting and updating cards in a channel (one attempt while a click waits). */
  readonly cards: ChannelCards;
  /** Sends text to a user's personal chat with the bot; false when there is none yet. */
  readonly sendPersonal: (userId: string, text: string) => Promise<boolean>;
  readonly background: BackgroundWork;
  /** Offers a file in a person's personal chat (the minutes as a Word file). */
  readonly files: FileDelivery;
  /** The least time between two updates of a meeting's posted cards (`CARD_UPDATE_DELAY_MS`). */
  readonly cardUpdateDelayMs: number;
  readonly reminders: MeetingReminderPort & {
    /** Sends a scheduled reminder at once (through the scheduler's claim). */
    sendNow(actor: Principal, ref: { id: string; dueAt: string }): Promise<unknown>;
  };
  readonly personalConversationOf: (userId: string) => Promise<string | undefined>;
  /** Who gets their own view of a meeting card in the channel (samordnare first). */
  readonly audience: Audience;
  readonly logger: Logger;
}

/** How long the people a samordnare can assign work to are kept per instance. */
const PEOPLE_TTL_MS = 60_000;

/** Shared by the handler modules: the use-case deps, card helpers and after-answer work. */
export function handlerContext(deps: MeetingsDeps) {
  const later = (key: string, work: () => Promise<void>, settleMs?: number) =>
    deps.background.coalesce(key, 'meetings.later', work, settleMs);
  const coordinators = () => deps.audience();
  const post: PostDeps = { repo: deps.repo, now: deps.now, cards: deps.cards, later, coordinators };
  const names = async () => orgNames(await deps.access.listOrganisations());
  let people: { at: number; list: Member[] } | undefined;
  return {
    deps,
    use: { repo: deps.repo, now: deps.now },
    post,
    names,
    coordinators,
    publish: publisher({
      ...post,
      names,
      organisations: () => deps.access.listOrganisations(),
      settleMs: deps.cardUpdateDelayMs,
    }),
    later,
    /** Members a samordnare can assign an action item to (cached briefly per instance). */
    async people(actor: Principal): Promise<Member[]> {
      if (!people || Date.now() - people.at > PEOPLE_TTL_MS) {
        people = { at: Date.now(), list: await deps.access.listPeople(actor) };
      }
      return people.list;
    },
    async knownOrganisations(): Promise<Set<string>> {
      return new Set((await deps.access.listOrganisations()).map((o) => o.id));
    },
  };
}
export type HandlerContext = ReturnType<typeof handlerContext>;

/** Every meeting card's data names its meeting: the series id and the meeting's date. */
export const refFields = { meetingId: seriesIdSchema, date: localDateSchema };
export const refSchema = z.object(refFields);
/** Where a paged card starts; the card sends it as a string or a number. */
export const startField = z
  .union([z.string().regex(/^\d{1,4}$/), z.number().int().min(0)])
  .optional();
export const startOf = (value: string | number | undefined) => Number(value ?? 0);

export const refOf = (
  conversationId: string,
  data: { meetingId: string; date: string },
): OccurrenceRef => ({ conversationId, meetingId: data.meetingId, date: data.date });

/**
 * Errors that leave the card as it was with the reason shown: a refusal the user can act on.
 * Storage being away, or an answer lost, go to the bot's own message (nothing is claimed saved).
 */
export function isRefusal(error: unknown): boolean {
  return (
    isAppError(error) &&
    error.reason !== 'storage-unavailable' &&
    error.reason !== 'outcome-unknown'
  );
}

/** Runs a change; a refusal becomes the notice on the card the change answers with. */
export async function answer(
  change: () => Promise<{ card: CardJson }>,
  onRefusal: (notice: Notice) => Promise<CardJson>,
): Promise<CardJson> {
  try {
    return (await change()).card;
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return onRefusal(refused(errorText(error)));
  }
}

/** A form refusal: the values typed, with the refused personal number emptied. */
export function keptValues(
  values: Readonly<Record<string, unknown>>,
  error: unknown,
): Record<string, unknown> {
  const kept = { ...values };
  if (error instanceof FormError && error.reason === 'personal-data' && error.field) {
    kept[error.field] = '';
  }
  return kept;
}

export const isFormError = (error: unknown): error is FormError => error instanceof FormError;

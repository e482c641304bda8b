import { createHash } from 'node:crypto';

/** A file the bot made for one person: a report, the numbers, the minutes. */
export interface OutgoingFile {
  readonly name: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
  /** Shown on Teams' consent card, e.g. "Lägesrapport Norra per 30 juni 2026". */
  readonly description: string;
}

/** A file waiting to be fetched by the person it was made for. */
export interface PendingFile extends OutgoingFile {
  /** Random, 128 bits: unguessable, and never built from anything the user typed. */
  readonly id: string;
  readonly userId: string;
  readonly expiresAt: Date;
  /**
   * For a file offered by download link: the SHA-256 (base64url) of the link's random token. The
   * token itself is only in the link sent to the person's personal chat, never stored.
   */
  readonly linkHash?: string;
}

/** Where files wait between the offer and the upload or download (any instance may serve it). */
export interface FileOfferStore {
  put(file: PendingFile): Promise<void>;
  /**
   * Takes the file once: the first caller who is the right user, before it expires, gets it; it
   * is then gone, so every later call (another instance, a repeated click) gets undefined.
   */
  take(id: string, userId: string, now: Date): Promise<PendingFile | undefined>;
  /**
   * Takes a file offered by download link once: only with the link's token, before it expires.
   * Taking is a conditional delete, so of two instances serving the same link one gets the file.
   */
  takeByLink(id: string, token: string, now: Date): Promise<PendingFile | undefined>;
  /** Reads the file without taking it (the right user, before it expires). */
  read(id: string, userId: string, now: Date): Promise<PendingFile | undefined>;
  /**
   * Claims the offer one click stands for (`claimId`: one per person and click, see
   * {@link FileDelivery.offer}). The first caller gets `claimed`; a later one (a re-delivered or
   * double click, on any instance) gets how the first offer went out, or `under-way` while it is
   * still being made. A claim still under way {@link STALE_CLAIM_MS} after it was made (its
   * instance stopped) is taken over: `claimed` again.
   */
  claimOffer(claimId: string, expiresAt: Date, now: Date): Promise<OfferClaim>;
  /** Records how a claimed offer went out, or with `undefined` gives the claim up for a retry. */
  settleOffer(claimId: string, outcome: 'consent' | 'link' | undefined): Promise<void>;
  /** Removes files and claims whose time ran out; answers how many. */
  purgeExpired(now: Date): Promise<number>;
}

/** What a claim on an offer finds: it is the caller's to make, under way, or already sent. */
export type OfferClaim = 'claimed' | 'under-way' | 'consent' | 'link';

/** How long a claim may stay under way before another instance takes it over. */
export const STALE_CLAIM_MS = 60_000;

/** How a file reached the person. */
export type FileOffered =
  /** Teams' file consent card in the personal chat: the person accepts and it is uploaded. */
  | 'consent'
  /** A short-lived, single-use download link (clients without file consent, e.g. the local one). */
  | 'link'
  /** The same click is being answered already (a re-delivered or double click). */
  | 'under-way'
  /** No personal chat with the bot yet: nothing could be sent. */
  | 'no-chat';

/** Offers files to people in their personal chat with the bot (a port; Teams specifics in `bot/`). */
export interface FileDelivery {
  /**
   * Offers the file `make` produces, once per click: `clickKey` names the click (the card's
   * request id), so a re-delivered or double click offers nothing more and answers how the first
   * went out; `make` runs only for the first.
   */
  offer(userId: string, clickKey: string, make: () => Promise<OutgoingFile>): Promise<FileOffered>;
}

/** The stored form of a download link's token: its SHA-256, base64url (43 characters). */
export const linkHashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Files larger than this are not offered (Teams' consent upload and one table partition). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';

/** The user-facing sentence for how a file went out. */
export function offeredText(offered: FileOffered, what: string): string {
  switch (offered) {
    case 'consent':
      return `${what} finns i din personliga chatt med boten. Välj Tillåt där för att spara den i din OneDrive.`;
    case 'link':
      return `${what} finns i din personliga chatt med boten som en nedladdningslänk. Länken gäller i 10 minuter och bara en gång.`;
    case 'under-way':
      return `${what} är på väg till din personliga chatt med boten.`;
    case 'no-chat':
      return `Boten har ingen personlig chatt med dig ännu. Öppna chatten med Finsam, skriv /hjälp och försök igen.`;
  }
}

/** Links to files kept for someone, served by the bot's own host. */
export interface DownloadLinks {
  /** The link for a stored file and its token. */
  linkFor(fileId: string, token: string): string;
}

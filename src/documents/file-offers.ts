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
  /** Removes files whose time ran out unfetched; answers how many. */
  purgeExpired(now: Date): Promise<number>;
}

/** How a file reached the person. */
export type FileOffered =
  /** Teams' file consent card in the personal chat: the person accepts and it is uploaded. */
  | 'consent'
  /** A short-lived, single-use download link (clients without file consent, e.g. the local one). */
  | 'link'
  /** No personal chat with the bot yet: nothing could be sent. */
  | 'no-chat';

/** Offers files to people in their personal chat with the bot (a port; Teams specifics in `bot/`). */
export interface FileDelivery {
  offer(userId: string, file: OutgoingFile): Promise<FileOffered>;
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
    case 'no-chat':
      return `Boten har ingen personlig chatt med dig ännu. Öppna chatten med Finsam, skriv /hjälp och försök igen.`;
  }
}

/** Links to files kept for someone, served by the bot's own host. */
export interface DownloadLinks {
  /** The link for a stored file and its token. */
  linkFor(fileId: string, token: string): string;
}

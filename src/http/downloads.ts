import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Express, Response } from 'express';
import type { FileOfferStore } from '../documents/file-offers.js';
import { errorFields, type Logger } from '../log.js';

/**
 * Single-use download links for files the bot made, for clients that cannot take Teams' file
 * consent (the local Agents Playground). A link names the file, its expiry and a signature over
 * both and the user it was made for; the file is stored for that user only and is gone after
 * the first download or when the link expires.
 */
export interface DownloadLinks {
  /** The link for a stored file, valid until `expiresAt`. */
  linkFor(fileId: string, userId: string, expiresAt: Date): string;
}

export interface DownloadRoute {
  readonly files: FileOfferStore;
  readonly secret: Buffer;
  readonly now: () => Date;
  readonly logger: Logger;
}

declare module './server.js' {
  interface HttpDeps {
    /** Serves the bot's single-use download links when present. */
    readonly downloads?: DownloadRoute;
  }
}

export const DOWNLOAD_PATH = '/filer';
const TOKEN = /^([A-Za-z0-9_-]{16,64})\.(\d{9,12})\.([A-Za-z0-9_-]{43})$/;

const sign = (secret: Buffer, fileId: string, userId: string, expires: number) =>
  createHmac('sha256', secret).update(`${fileId}\n${userId}\n${expires}`).digest('base64url');

export function downloadLinks(secret: Buffer, baseUrl: () => string): DownloadLinks {
  return {
    linkFor(fileId, userId, expiresAt) {
      const expires = Math.floor(expiresAt.getTime() / 1000);
      return `${baseUrl()}${DOWNLOAD_PATH}/${fileId}.${expires}.${sign(secret, fileId, userId, expires)}`;
    },
  };
}

const gone = (res: Response) =>
  res
    .status(410)
    .type('text/plain; charset=utf-8')
    .send('Länken har gått ut eller har redan använts. Be boten om filen igen.');

/** `filename*` for any name (å, ä, ö) plus a plain ASCII fallback. */
function disposition(name: string): string {
  const ascii =
    name
      .normalize('NFD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\]/g, '') || 'fil';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Registers `GET /filer/<token>` on the bot's HTTP app. */
export function mountDownloads(app: Express, route: DownloadRoute): void {
  app.get(`${DOWNLOAD_PATH}/:token`, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const match = TOKEN.exec(String(req.params.token ?? ''));
    if (!match) return gone(res);
    const [, fileId, expiresText, signature] = match as unknown as [string, string, string, string];
    const expires = Number(expiresText);
    const now = route.now();
    if (expires * 1000 <= now.getTime()) return gone(res);
    try {
      const owner = await route.files.owner(fileId);
      if (!owner) return gone(res);
      const expected = Buffer.from(sign(route.secret, fileId, owner, expires));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return gone(res);
      const file = await route.files.take(fileId, owner, now);
      if (!file) return gone(res);
      route.logger.info('download.served', { bytes: file.bytes.length });
      res
        .status(200)
        .setHeader('Content-Type', file.mediaType)
        .setHeader('Content-Disposition', disposition(file.name))
        .send(file.bytes);
    } catch (error) {
      route.logger.warn('download.failed', errorFields(error));
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('Filen kunde inte hämtas just nu. Försök igen om en stund.');
    }
  });
}

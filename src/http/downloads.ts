import type { DownloadLinks } from '../documents/file-offers.js';
import type { Express, Response } from 'express';
import type { FileOfferStore } from '../documents/file-offers.js';
import { errorFields, type Logger } from '../log.js';

/**
 * Single-use download links for files the bot made, for clients that cannot take Teams' file
 * consent (the local Agents Playground). A link names the file and carries a random 256-bit
 * token; storage keeps only the token's hash with the file (in `fileOffers`, so any instance
 * behind the load balancer can serve it), its expiry (10 minutes) and the person it was made
 * for. The link is sent only to that person's personal chat with the bot; the first download
 * takes the file with a conditional delete, so it works once, on one instance.
 */
export interface DownloadRoute {
  readonly files: FileOfferStore;
  readonly now: () => Date;
  readonly logger: Logger;
}

export const DOWNLOAD_PATH = '/filer';
const TOKEN = /^([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})$/;

export function downloadLinks(baseUrl: () => string): DownloadLinks {
  return {
    linkFor: (fileId, token) => `${baseUrl()}${DOWNLOAD_PATH}/${fileId}.${token}`,
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
    const [, fileId, token] = match as unknown as [string, string, string];
    try {
      const file = await route.files.takeByLink(fileId, token, route.now());
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

import { createHash, randomBytes } from 'node:crypto';
import type { Activity, TurnContext } from 'botbuilder';
import { ActivityTypes, MessageFactory } from 'botbuilder';
import { z } from 'zod';
import type { ConversationRecord } from '../conversations/conversations.schema.js';
import {
  linkHashOf,
  type FileDelivery,
  type FileOffered,
  type FileOfferStore,
  type OutgoingFile,
  type DownloadLinks,
} from '../documents/file-offers.js';
import { errorFields, type Logger } from '../log.js';

/**
 * Files the Teams way. In the personal chat the bot sends Teams' file consent card; when the
 * person accepts, Teams sends a `fileConsent/invoke` with an upload URL in their OneDrive, the bot
 * uploads and answers with a file card. Clients without file consent (the local Agents
 * Playground) get a short-lived, single-use link with a random token to the bot's own host
 * instead, sent only to the person's personal chat.
 */
export const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

const LINK_MINUTES = 10;
/** A consent card may be answered later in the day; the file waits that long at most. */
const CONSENT_HOURS = 24;
const UPLOAD_TIMEOUT_MS = 10_000;

export interface FileDeliveryDeps {
  readonly findPersonal: (userId: string) => Promise<ConversationRecord | undefined>;
  /** Sends into a conversation; false when it could not be delivered. */
  readonly send: (conversationId: string, activity: Partial<Activity>) => Promise<boolean>;
  readonly store: FileOfferStore;
  readonly links: DownloadLinks;
  readonly now: () => Date;
  /** Whether the client behind a conversation's service URL takes Teams' file consent card. */
  readonly takesFileConsent: (serviceUrl: string) => boolean;
  readonly logger: Logger;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

/** Real Teams clients take file consent; the local Playground (a loopback service URL) does not. */
export function isTeamsCloud(serviceUrl: string): boolean {
  try {
    return !LOOPBACK.test(new URL(serviceUrl).hostname);
  } catch {
    return false;
  }
}

const SHAREPOINT = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.sharepoint\.com$/;

/**
 * Where the bot fetches a file a person sent it, and uploads a file they accepted. Teams keeps a
 * file sent in personal chat in the sender's OneDrive for Business, and the upload URL of an
 * accepted consent card points there too: https on a SharePoint host (`<tenant>-my.sharepoint.com`).
 * Bots cannot send or receive files in GCC High, DoD or 21Vianet, so `*.sharepoint.com` is the
 * whole list; a forged activity cannot make the bot fetch any other address. `allowLoopback`
 * (local runs only) also lets loopback addresses through, for the tests' stand-ins.
 */
export function isAllowedFileUrl(url: string, allowLoopback = false): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (allowLoopback && LOOPBACK.test(parsed.hostname)) {
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  }
  return parsed.protocol === 'https:' && parsed.port === '' && SHAREPOINT.test(parsed.hostname);
}

function consentActivity(file: OutgoingFile, fileId: string): Partial<Activity> {
  return MessageFactory.attachment({
    contentType: FILE_CONSENT_CARD,
    name: file.name,
    content: {
      description: file.description,
      sizeInBytes: file.bytes.length,
      acceptContext: { fileId },
      declineContext: { fileId },
    },
  });
}

function linkActivity(file: OutgoingFile, url: string): Partial<Activity> {
  const message = MessageFactory.text(
    `${file.description}: [${file.name}](${url})\n\nLänken gäller i ${LINK_MINUTES} minuter och bara en gång, och bara för dig. Be boten om filen igen om den har gått ut.`.normalize(
      'NFC',
    ),
  );
  message.textFormat = 'markdown';
  return message;
}

/** One claim per person and click; the click key alone would let another person's click count. */
const claimIdOf = (userId: string, clickKey: string) =>
  createHash('sha256').update(`${userId}\n${clickKey}`).digest('base64url');

export function teamsFileDelivery(deps: FileDeliveryDeps): FileDelivery {
  /** Makes, stores and sends the file of a claimed offer; answers how it went out. */
  const send = async (
    userId: string,
    chat: ConversationRecord,
    consent: boolean,
    expiresAt: Date,
    file: OutgoingFile,
  ): Promise<FileOffered> => {
    const id = randomBytes(16).toString('base64url');
    const token = randomBytes(32).toString('base64url');
    await deps.store.purgeExpired(deps.now()).catch((error: unknown) => {
      deps.logger.warn('files.purge.failed', errorFields(error));
    });
    await deps.store.put({
      ...file,
      id,
      userId,
      expiresAt,
      ...(consent ? {} : { linkHash: linkHashOf(token) }),
    });
    const activity = consent
      ? consentActivity(file, id)
      : linkActivity(file, deps.links.linkFor(id, token));
    const sent = await deps.send(chat.conversationId, activity);
    deps.logger.info('files.offered', {
      how: consent ? 'consent' : 'link',
      bytes: file.bytes.length,
      sent,
    });
    if (!sent) return 'no-chat';
    return consent ? 'consent' : 'link';
  };

  return {
    async offer(userId, clickKey, make) {
      const chat = await deps.findPersonal(userId);
      if (!chat || chat.staleSince) return 'no-chat';
      const consent = deps.takesFileConsent(chat.reference.serviceUrl);
      const now = deps.now();
      const expiresAt = new Date(
        now.getTime() + (consent ? CONSENT_HOURS * 3_600_000 : LINK_MINUTES * 60_000),
      );
      const claimId = claimIdOf(userId, clickKey);
      const claim = await deps.store.claimOffer(claimId, expiresAt, now);
      if (claim !== 'claimed') {
        deps.logger.info('files.offer.repeated', { claim });
        return claim;
      }
      let offered: FileOffered = 'no-chat';
      try {
        offered = await send(userId, chat, consent, expiresAt, await make());
      } finally {
        // Not sent (or failed): the claim is given up, so the same click may try again.
        await deps.store
          .settleOffer(claimId, offered === 'consent' || offered === 'link' ? offered : undefined)
          .catch((error: unknown) => {
            deps.logger.warn('files.claim.settleFailed', errorFields(error));
          });
      }
      return offered;
    },
  };
}

const consentValue = z.object({
  type: z.literal('fileUpload'),
  action: z.enum(['accept', 'decline']),
  context: z.object({ fileId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) }).loose(),
  uploadInfo: z
    .object({
      name: z.string().min(1).max(300),
      uploadUrl: z.string().min(1).max(4000),
      contentUrl: z.string().min(1).max(4000),
      uniqueId: z.string().max(300).optional(),
      fileType: z.string().max(40).optional(),
    })
    .loose()
    .optional(),
});

/** A `fileConsent/invoke` this bot can answer: an upload accepted or declined, with our context. */
export const isFileConsent = (activity: Partial<Activity>) =>
  activity.type === ActivityTypes.Invoke &&
  activity.name === 'fileConsent/invoke' &&
  consentValue.safeParse(activity.value).success;

const invokeOk = () => ({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });

/** Answers Teams' `fileConsent/invoke`: uploads an accepted file once, forgets a declined one. */
export async function answerFileConsent(
  turn: TurnContext,
  deps: Pick<FileDeliveryDeps, 'store' | 'now' | 'logger'> & {
    readonly upload?: typeof fetch;
    /** Local runs: upload URLs on loopback are allowed (see {@link isAllowedFileUrl}). */
    readonly allowLoopback?: boolean;
  },
): Promise<void> {
  const parsed = consentValue.safeParse(turn.activity.value);
  const userId = turn.activity.from?.id ?? '';
  if (!parsed.success) {
    await turn.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 400 } });
    return;
  }
  const { action, context, uploadInfo } = parsed.data;
  const file = await deps.store.take(context.fileId, userId, deps.now());
  if (action === 'decline') {
    await turn.sendActivity(
      MessageFactory.text('Filen sparades inte. Be boten om den igen när du vill ha den.'),
    );
    await turn.sendActivity(invokeOk());
    return;
  }
  if (!file) {
    await turn.sendActivity(
      MessageFactory.text(
        'Filen finns inte längre: den är redan sparad, eller så har tiden gått ut. Be boten om den igen.',
      ),
    );
    await turn.sendActivity(invokeOk());
    return;
  }
  const target = uploadInfo?.uploadUrl ?? '';
  let uploaded = false;
  const allowed = uploadInfo !== undefined && isAllowedFileUrl(target, deps.allowLoopback);
  if (uploadInfo && !allowed) deps.logger.warn('files.upload.refusedHost', {});
  if (allowed) {
    try {
      const response = await (deps.upload ?? fetch)(target, {
        method: 'PUT',
        headers: {
          'Content-Length': String(file.bytes.length),
          'Content-Range': `bytes 0-${file.bytes.length - 1}/${file.bytes.length}`,
        },
        body: new Uint8Array(file.bytes),
        redirect: 'error',
        signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
      });
      uploaded = response.ok;
      if (!uploaded) deps.logger.warn('files.upload.refused', { status: response.status });
    } catch (error) {
      deps.logger.warn('files.upload.failed', errorFields(error));
    }
  }
  if (uploaded && uploadInfo) {
    await turn.sendActivity(
      MessageFactory.attachment({
        contentType: FILE_INFO_CARD,
        contentUrl: uploadInfo.contentUrl,
        name: uploadInfo.name,
        content: { uniqueId: uploadInfo.uniqueId, fileType: uploadInfo.fileType },
      }),
    );
  } else {
    await turn.sendActivity(
      MessageFactory.text(
        'Filen kunde inte sparas i din OneDrive. Be boten om den igen om en stund.',
      ),
    );
  }
  await turn.sendActivity(invokeOk());
}

/** A file a person sent the bot in the personal chat (Teams' download info attachment). */
export interface ReceivedFile {
  readonly name: string;
  readonly downloadUrl: string;
}

const downloadInfo = z.object({
  contentType: z.literal(FILE_DOWNLOAD_INFO),
  name: z.string().min(1).max(300),
  content: z.object({ downloadUrl: z.string().min(1).max(4000) }).loose(),
});

export function receivedFileOf(activity: Partial<Activity>): ReceivedFile | undefined {
  for (const attachment of activity.attachments ?? []) {
    const parsed = downloadInfo.safeParse(attachment);
    if (parsed.success)
      return { name: parsed.data.name, downloadUrl: parsed.data.content.downloadUrl };
  }
  return undefined;
}

/** Redirects a download may follow, each to an allowed address again. */
const MAX_REDIRECTS = 3;

/**
 * Fetches a received file, at most `maxBytes`; undefined when it is larger, unreachable, or at
 * (or redirected to) an address that is not allowed (see {@link isAllowedFileUrl}).
 */
export async function downloadReceived(
  file: ReceivedFile,
  maxBytes: number,
  options: { readonly get?: typeof fetch; readonly allowLoopback?: boolean } = {},
): Promise<Buffer | undefined> {
  const get = options.get ?? fetch;
  let url = file.downloadUrl;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (!isAllowedFileUrl(url, options.allowLoopback)) return undefined;
    const response = await get(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url).toString();
      continue;
    }
    if (!response.ok) return undefined;
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) return undefined;
    const bytes = Buffer.from(await response.arrayBuffer());
    return bytes.length > maxBytes ? undefined : bytes;
  }
  return undefined;
}

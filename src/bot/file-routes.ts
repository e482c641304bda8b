import type { TurnContext } from 'botbuilder';
import { ActivityTypes, CardFactory, MessageFactory } from 'botbuilder';
import type { Principal, TurnIdentity } from '../principal.js';
import { MAX_FILE_BYTES } from '../documents/file-offers.js';
import { isAppError } from '../errors.js';
import { errorFields, type Logger } from '../log.js';
import type { Bot } from './bot.js';
import type { CardJson } from './card-renderer.js';
import { errorText } from './error-text.js';
import { inspectInbound } from './inbound-guard.js';
import {
  answerFileConsent,
  downloadReceived,
  isFileConsent,
  receivedFileOf,
  type FileDeliveryDeps,
} from './file-delivery.js';
import type { TenantGate } from './tenant-gate.js';
import { conversationKindOf, identityOf } from './turn-identity.js';

/** What a capability does with a file someone sent the bot in the personal chat. */
export type FileReceiver = (
  principal: Principal,
  file: { readonly name: string; readonly bytes: Buffer },
) => Promise<CardJson | string>;

export interface FileRoutesDeps {
  readonly tenants: TenantGate;
  readonly resolvePrincipal: (identity: TurnIdentity) => Promise<Principal>;
  readonly files: Pick<FileDeliveryDeps, 'store' | 'now' | 'logger'>;
  readonly onFile: FileReceiver;
  readonly logger: Logger;
  /** For tests of the upload and download; the real `fetch` otherwise. */
  readonly fetch?: typeof fetch;
  /**
   * Local runs only: files may come from and go to loopback addresses. In production only
   * Teams' own file hosts (SharePoint, https) are reached.
   */
  readonly allowLoopbackFiles?: boolean;
}

/**
 * Adds the two file activities to the bot: Teams' `fileConsent/invoke` (a person accepted or
 * declined a file the bot offered) and a message carrying a file in the personal chat. Both pass
 * the same tenant gate as every other activity; everything else goes to the bot unchanged.
 * @remarks Kept beside `bot.ts` so the command and card routing stays as it is; when the bot's
 * route table grows an invoke route, these two belong there.
 */
export function withFileRoutes(bot: Bot, deps: FileRoutesDeps): Bot {
  const receive = async (turn: TurnContext) => {
    const received = receivedFileOf(turn.activity)!;
    const identity = identityOf(turn.activity);
    try {
      if (!identity) throw new Error('An activity without a sender');
      const principal = await deps.resolvePrincipal(identity);
      const bytes = await downloadReceived(received, MAX_FILE_BYTES, {
        ...(deps.fetch ? { get: deps.fetch } : {}),
        allowLoopback: deps.allowLoopbackFiles ?? false,
      });
      if (!bytes) {
        await turn.sendActivity(
          MessageFactory.text(
            'Filen kunde inte hämtas, eller så är den större än 2 MB. Spara listan som .xlsx eller .csv och skicka den igen.',
          ),
        );
        return;
      }
      const answer = await deps.onFile(principal, { name: received.name, bytes });
      await turn.sendActivity(
        typeof answer === 'string'
          ? MessageFactory.text(answer)
          : MessageFactory.attachment(CardFactory.adaptiveCard(answer)),
      );
      deps.logger.info('file.received', { outcome: 'ok', bytes: bytes.length });
    } catch (error) {
      deps.logger.warn('file.received', { outcome: 'error', ...errorFields(error) });
      if (!isAppError(error)) deps.logger.error('file.received.unexpected', errorFields(error));
      await turn.sendActivity(MessageFactory.text(errorText(error)));
    }
  };

  return {
    verbs: bot.verbs,
    async handle(turn) {
      const { activity } = turn;
      const consent = isFileConsent(activity);
      const file =
        activity.type === ActivityTypes.Message &&
        conversationKindOf(activity) === 'personal' &&
        receivedFileOf(activity) !== undefined;
      if (!consent && !file) return bot.handle(turn);
      if (!(await deps.tenants.admit(turn)).admitted) {
        deps.logger.warn('tenant.refused', { activityType: activity.type });
        if (consent) {
          await turn.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 403 } });
        }
        return;
      }
      const refusal = inspectInbound(activity);
      if (refusal) {
        deps.logger.warn('privacy.refused', {
          activityType: activity.type,
          finding: refusal.finding.kind,
        });
        await turn.sendActivity(MessageFactory.text(refusal.notice));
        if (consent)
          await turn.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
        return;
      }
      if (consent) {
        await answerFileConsent(turn, {
          ...deps.files,
          ...(deps.fetch ? { upload: deps.fetch } : {}),
          allowLoopback: deps.allowLoopbackFiles ?? false,
        });
        return;
      }
      await receive(turn);
    },
  };
}

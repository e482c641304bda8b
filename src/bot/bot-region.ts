import { CallerIdConstants } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type { BotRegion } from '../config-tenants.js';

/** The Bot Service's token service for bots with data residency in Europe. */
export const EUROPE_TOKEN_SERVICE = 'https://europe.token.botframework.com';

/**
 * The Bot Framework settings of a region. A bot registered in the Europe region uses the
 * European token service; `global` leaves the SDK's defaults.
 * @remarks botbuilder takes any one endpoint setting as "all endpoints given" and leaves the
 * others empty (no key to validate Teams' tokens with, no login for the bot's own), so the
 * Europe settings name every public-cloud endpoint and change only the token service. The
 * activities themselves arrive from and go back to the `serviceUrl` Teams gives.
 */
export function botRegionSettings(region: BotRegion): Record<string, string> {
  if (region === 'global') return {};
  return {
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    OAuthUrl: EUROPE_TOKEN_SERVICE,
  };
}

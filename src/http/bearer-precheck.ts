/** Why a request's bearer token was refused before any signing key was fetched. */
export type BearerProblem = 'missing' | 'malformed' | 'expired' | 'audience';

const CLOCK_SKEW_SECONDS = 300;

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks what can be checked of a Bot Framework bearer token without its signing keys: that it
 * is there, is a signed JWT, has not expired and is meant for this bot. A token that passes is
 * then verified in full by the Bot Framework SDK; one that fails is refused with 401 at once, so
 * garbage never makes the bot call out for keys.
 */
export function precheckBearer(
  header: string | undefined,
  appId: string,
  nowSeconds: number,
): BearerProblem | undefined {
  if (!header) return 'missing';
  const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(header);
  if (!match) return 'malformed';
  const head = decodePart(match[1]!);
  const claims = decodePart(match[2]!);
  if (!head || !claims || typeof head.alg !== 'string' || head.alg === 'none') return 'malformed';
  if (typeof claims.exp !== 'number' || claims.exp + CLOCK_SKEW_SECONDS < nowSeconds) {
    return 'expired';
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((audience) => audience === appId || audience === `api://${appId}`)) {
    return 'audience';
  }
  return undefined;
}

import { RestError } from '@azure/data-tables';
import { AppError } from '../errors.js';
import { recordStorageError, recordThrottled } from '../telemetry/telemetry.js';

/** The HTTP status of a storage error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof RestError) return error.statusCode;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export const isNotFound = (error: unknown) => statusOf(error) === 404;
export const isConflict = (error: unknown) => statusOf(error) === 409;
export const isPreconditionFailed = (error: unknown) => statusOf(error) === 412;

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'REQUEST_SEND_ERROR',
]);

/**
 * Storage cannot be reached, did not answer in time (the request was aborted) or answered with a
 * server error: the user should try again later.
 */
export function isUnavailable(error: unknown): boolean {
  if ((error as { name?: unknown } | null)?.name === 'AbortError') return true;
  const status = statusOf(error);
  if (status !== undefined) return status >= 500 || status === 408;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && networkCodes.has(code);
}

/**
 * Maps an SDK error to a domain error where there is one, so callers never import the SDK.
 * 404/409/412 mean something to the caller; outages become `storage-unavailable`; anything else
 * is rethrown untouched.
 */
export function toAppError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (isPreconditionFailed(error)) return new AppError('conflict', undefined, { cause: error });
  if (isConflict(error)) return new AppError('already-exists', undefined, { cause: error });
  if (isNotFound(error)) return new AppError('not-found', undefined, { cause: error });
  const status = statusOf(error);
  if (status === 429 || status === 503) recordThrottled('storage', status);
  if (isUnavailable(error)) {
    recordStorageError(status === 503 ? 'throttled' : 'unavailable', status);
    return new AppError('storage-unavailable', undefined, { cause: error });
  }
  recordStorageError(status === 429 ? 'throttled' : 'unexpected', status);
  return error;
}

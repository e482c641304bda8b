/**
 * Errors the domain raises on purpose. Callers branch on `reason`; the bot maps each reason to
 * Swedish text in one place (`bot/error-text.ts`).
 */
export type AppErrorReason =
  | 'invalid-input'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'already-exists'
  | 'storage-unavailable'
  /** The change was sent but its answer was lost, and storage could not be asked whether it landed. */
  | 'outcome-unknown'
  /** The write would exceed a storage limit; it was refused before it was sent. */
  | 'too-large'
  | 'personal-data';

export class AppError extends Error {
  constructor(
    readonly reason: AppErrorReason,
    /** Swedish text safe to show the user; never contains input that could be personal data. */
    readonly userMessage?: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'AppError';
  }
}

export const invalidInput = (userMessage: string) => new AppError('invalid-input', userMessage);
export const forbidden = (userMessage?: string) => new AppError('forbidden', userMessage);
export const notFound = (userMessage?: string) => new AppError('not-found', userMessage);

export function isAppError(error: unknown, reason?: AppErrorReason): error is AppError {
  return error instanceof AppError && (reason === undefined || error.reason === reason);
}

import { containsPersonalIdentityNumber } from './privacy/personal-identity-number.js';

/**
 * Structured JSON logs, one object per line on stdout.
 * @remarks Fields are typed as scalars on purpose: callers log ids, codes and counts, never
 * message text or card input, which may contain personal data.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Logger {
  const emit =
    (at: Exclude<LogLevel, 'silent'>) =>
    (event: string, fields: LogFields = {}) => {
      if (rank[at] < rank[level]) return;
      write(
        JSON.stringify({ time: new Date().toISOString(), level: at, event, ...redact(fields) }),
      );
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** What a log line carries instead of a value that looks like a personnummer. */
export const REDACTED = '[maskerat]';

/** A guard behind the callers' discipline: no value that holds a personnummer leaves the process. */
function redact(fields: LogFields): LogFields {
  const safe: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    safe[key] =
      typeof value === 'string' && containsPersonalIdentityNumber(value) ? REDACTED : value;
  }
  return safe;
}

/** The error's class and code, without its message (messages can quote input). */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const status = (error as { statusCode?: unknown }).statusCode;
    return {
      error: error.name,
      code: typeof code === 'string' ? code : undefined,
      status: typeof status === 'number' ? status : undefined,
    };
  }
  return { error: typeof error };
}

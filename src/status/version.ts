import { readFileSync } from 'node:fs';
import { z } from 'zod';

let cached: string | undefined;

/** The `version` of the deployed package.json (the same file in `src/` and in `dist/` runs). */
export function appVersion(): string {
  cached ??= z
    .object({ version: z.string().min(1).max(40) })
    .parse(
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')),
    ).version;
  return cached;
}

import type { z } from 'zod';
import { invalidInput } from '../errors.js';

/**
 * Parses card input with zod and turns the first problem into Swedish: the schema's own message
 * when it has one, a general one otherwise (zod's English defaults, e.g. "Invalid input",
 * "Too big", "Too small", "Unrecognized key").
 */
const ZOD_DEFAULT = /^(Invalid|Too (big|small)|Unrecognized)/;

export function parseCardInput<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const message = issue?.message && !ZOD_DEFAULT.test(issue.message) ? issue.message : '';
    throw invalidInput(message || 'Kortet skickade ogiltiga uppgifter. Kontrollera fälten.');
  }
  return result.data;
}

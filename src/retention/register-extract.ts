import type { AuditEntry } from '../audit/audit.schema.js';

/** The most one message of a registerutdrag carries (UTF-8 bytes), well below Teams' limit. */
export const EXTRACT_PART_BYTES = 24 * 1024;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * A registerutdrag as messages: the record's fields, then its lists (decisions, history) and the
 * audit trail one entry per line, split into parts that each fit one message. Everything stored
 * is included; nothing is cut.
 */
export function extractMessages(
  code: string,
  label: string,
  record: Record<string, unknown>,
  audit: readonly AuditEntry[],
): string[] {
  const fields: Record<string, unknown> = {};
  const lists: [string, unknown[]][] = [];
  for (const [name, value] of Object.entries(record)) {
    if (Array.isArray(value)) lists.push([name, value]);
    else fields[name] = value;
  }
  const lines = [
    `"${label}": ${JSON.stringify(fields, null, 1).replace(/\n\s*/g, ' ')}`,
    ...lists.flatMap(([name, items]) => [
      `"${name}" (${items.length}):`,
      ...items.map((item) => JSON.stringify(item)),
    ]),
    `"logg" (${audit.length}):`,
    ...audit.map((entry) => JSON.stringify(entry)),
  ];
  const parts: string[][] = [[]];
  let size = 0;
  for (const line of lines) {
    const lineBytes = bytes(line) + 1;
    if (size + lineBytes > EXTRACT_PART_BYTES && parts.at(-1)!.length > 0) {
      parts.push([]);
      size = 0;
    }
    parts.at(-1)!.push(line);
    size += lineBytes;
  }
  return parts.map((part, i) =>
    [
      `**Registerutdrag för ${code}**${parts.length > 1 ? ` (del ${i + 1} av ${parts.length})` : ''}`,
      ...(i === 0
        ? ['Allt som finns sparat under koden, och loggen över vem som har sett eller ändrat det.']
        : []),
      ['```', ...part, '```'].join('\n'),
    ].join('\n\n'),
  );
}

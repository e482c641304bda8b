import type { Activity } from 'botbuilder';
import { normaliseText } from '../text.js';
import { commandTable, type CommandName, type CommandSpec } from './command-table.js';

/** Someone @mentioned in a command, other than the bot. */
export interface MentionedUser {
  readonly id: string;
  readonly name?: string;
  readonly aadObjectId?: string;
}

export interface ParsedCommand {
  readonly name: CommandName;
  /** The words after the command; each @mention is one word of the form `@1`, `@2`, … */
  readonly args: readonly string[];
  readonly mentions: readonly MentionedUser[];
}

export type ParseResult =
  { kind: 'command'; command: ParsedCommand } | { kind: 'unknown' } | { kind: 'empty' };

const byWord = new Map<string, CommandSpec>();
for (const spec of commandTable) {
  for (const word of [spec.name, ...spec.aliases]) byWord.set(word.normalize('NFC'), spec);
}

const entities: Record<string, string> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/**
 * Reads a chat message as a command. The bot's own mention is already removed by teams-ai;
 * other mentions become placeholders so arguments can refer to people without their names.
 */
export function parseCommand(activity: Partial<Activity>): ParseResult {
  const raw = activity.text ?? '';
  const mentioned = (activity.entities ?? []).filter(
    (entity) => entity.type === 'mention' && entity.mentioned?.id !== activity.recipient?.id,
  );
  const mentions: MentionedUser[] = [];
  let text = raw.replace(/<at[^>]*>(.*?)<\/at>/gis, (_, name: string) => {
    const entity =
      mentioned.find(
        (candidate) => typeof candidate.text === 'string' && candidate.text.includes(`>${name}<`),
      ) ?? mentioned[mentions.length];
    const user = entity?.mentioned as
      { id?: string; name?: string; aadObjectId?: string } | undefined;
    if (!user?.id) return ' ';
    mentions.push({
      id: user.id,
      ...(user.name ? { name: user.name } : {}),
      ...(user.aadObjectId ? { aadObjectId: user.aadObjectId } : {}),
    });
    return ` @${mentions.length} `;
  });
  text = text
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, (entity) => entities[entity] ?? ' ');
  text = normaliseText(text);
  if (text.length === 0) return { kind: 'empty' };

  const match = /^\/?([\p{L}\p{N}-]+)(?:\s+(.*))?$/su.exec(text);
  const spec = match ? byWord.get(match[1]!.toLocaleLowerCase('sv-SE')) : undefined;
  if (!match || !spec) return { kind: 'unknown' };
  const args = (match[2] ?? '').split(' ').filter((word) => word.length > 0);
  return { kind: 'command', command: { name: spec.name as CommandName, args, mentions } };
}

import type { Entity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/bot/command-parser.js';
import { commandTable } from '../../src/bot/command-table.js';

const bot = { id: '28:bot', name: 'Finsam' };
const msg = (text: string, entities: Entity[] = []) => ({ text, entities, recipient: bot });

describe('reading commands', () => {
  it('when a command has arguments, then they are split into words', () => {
    expect(parseCommand(msg('/roller organisationer'))).toEqual({
      kind: 'command',
      command: { name: 'roller', args: ['organisationer'], mentions: [] },
    });
  });

  it('when other people are @mentioned, then each becomes a placeholder pointing at its entity', () => {
    const result = parseCommand(
      msg('/roller ge <at>Erik F</at> representant', [
        { type: 'mention', text: '<at>Erik F</at>', mentioned: { id: '29:erik', name: 'Erik F' } },
      ]),
    );
    expect(result).toEqual({
      kind: 'command',
      command: {
        name: 'roller',
        args: ['ge', '@1', 'representant'],
        mentions: [{ id: '29:erik', name: 'Erik F' }],
      },
    });
  });

  it('when HTML entities and tags from Teams surround the text, then they are cleaned away', () => {
    expect(parseCommand(msg('<p>/hjälp&nbsp;</p>'))).toMatchObject({
      kind: 'command',
      command: { name: 'hjälp' },
    });
  });

  it('when the message is only whitespace, then it is empty, and an unknown word is unknown', () => {
    expect(parseCommand(msg('   '))).toEqual({ kind: 'empty' });
    expect(parseCommand(msg('/rollerx'))).toEqual({ kind: 'unknown' });
    expect(parseCommand(msg('hej där'))).toEqual({ kind: 'unknown' });
  });

  it('when the command table is read, then no word runs two commands', () => {
    const words = commandTable.flatMap((spec) => [spec.name, ...spec.aliases]);
    expect(new Set(words).size).toBe(words.length);
    for (const word of words) expect(word).toBe(word.normalize('NFC').toLowerCase());
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { wire } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { uniquePrefix } from '../support/test-bot.js';

/** The meeting cards: every verb they use has a handler, and every meeting handler a card. */
const MEETING_CARD = /^(meeting.*|meetings|agenda.*|dagordning|minutes|action-items)\.json$/;
const MEETING_VERB = /^(meeting|meetings|agenda|tasks)\./;

function verbsIn(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((child) => verbsIn(child, found));
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute' && typeof record.verb === 'string') {
      found.add(record.verb);
    }
    Object.values(record).forEach((child) => verbsIn(child, found));
  }
  return found;
}

const cardFiles = readdirSync('cards').filter((file) => file.endsWith('.json'));
const verbsOf = (files: readonly string[]) =>
  new Set(files.flatMap((file) => [...verbsIn(JSON.parse(readFileSync(`cards/${file}`, 'utf8')))]));

let registered: readonly string[] = [];

beforeAll(async () => {
  const config = loadConfig({
    PORT: '0',
    STORAGE_CONNECTION_STRING: inject('tableConnectionString'),
    TABLE_PREFIX: uniquePrefix(),
    SCHEDULER_ENABLED: 'false',
  });
  const wired = await wire(config, createTableStore(config.storage, config.tablePrefix), {
    logger: createLogger('silent'),
    now: () => new Date(),
  });
  registered = wired.bot.verbs;
});

describe('meeting verbs and meeting cards agree', () => {
  it('when the meeting cards are read, then every verb they use has a handler', () => {
    const used = verbsOf(cardFiles.filter((file) => MEETING_CARD.test(file)));
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((verb) => !registered.includes(verb))).toEqual([]);
  });

  it('when the meeting handlers are listed, then each is used by some card', () => {
    const used = verbsOf(cardFiles);
    const meetingVerbs = registered.filter((verb) => MEETING_VERB.test(verb));
    expect(meetingVerbs.length).toBeGreaterThan(10);
    expect(meetingVerbs.filter((verb) => !used.has(verb))).toEqual([]);
  });
});

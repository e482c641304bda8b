import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { wire } from '../../src/app.js';
import { CASE_VERBS } from '../../src/cases/cases.schema.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { uniquePrefix } from '../support/test-bot.js';

/** The static verbs of every Action.Execute in a card template. */
function verbsIn(file: string): string[] {
  const verbs: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute' && typeof record.verb === 'string')
      verbs.push(record.verb);
    Object.values(record).forEach(walk);
  };
  walk(JSON.parse(readFileSync(`cards/${file}`, 'utf8')));
  return verbs;
}

const all = readdirSync('cards').filter((f) => f.endsWith('.json'));
const ours = all.filter((f) => /^(case-.*|gallring)\.json$/.test(f));
const mine = (verb: string) => verb.startsWith('cases.') || verb.startsWith('retention.');

describe('case and gallring card verbs', () => {
  it('when the bot is wired, then every verb on a case or gallring card has a handler, and every case and gallring handler is on some card', async () => {
    const prefix = uniquePrefix();
    const config = loadConfig({
      PORT: '0',
      STORAGE_CONNECTION_STRING: inject('tableConnectionString'),
      TABLE_PREFIX: prefix,
      SCHEDULER_ENABLED: 'false',
    });
    const store = createTableStore(config.storage, prefix);
    const { bot } = await wire(config, store, {
      logger: createLogger('silent'),
      now: () => new Date(),
    });
    const onCards = new Set(ours.flatMap(verbsIn));
    expect(ours.length).toBeGreaterThanOrEqual(8);
    expect([...onCards].filter((verb) => !bot.verbs.includes(verb))).toEqual([]);
    const anywhere = new Set(all.flatMap(verbsIn));
    const handled = bot.verbs.filter(mine);
    expect(handled.filter((verb) => !anywhere.has(verb))).toEqual([]);
    expect([...handled].filter((v) => v.startsWith('cases.')).sort()).toEqual(
      [...CASE_VERBS].sort(),
    );
  });
});

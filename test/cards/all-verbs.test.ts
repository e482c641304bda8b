import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { wire } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createTableStore } from '../../src/storage/table-store.js';
import { uniquePrefix } from '../support/test-bot.js';

/** Every verb a card can send has a handler, and every handler is reachable from some card. */
function verbsIn(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((child) => verbsIn(child, found));
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute' && typeof record.verb === 'string') found.add(record.verb);
    Object.values(record).forEach((child) => verbsIn(child, found));
  }
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

async function registeredVerbs(): Promise<readonly string[]> {
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
  return wired.bot.verbs;
}

describe('card verbs and handlers agree', () => {
  it('when every card template is read, then each verb it sends has a handler, and each handler is sent by a template or a card built in code', async () => {
    const registered = await registeredVerbs();
    const inTemplates = new Set(
      readdirSync('cards')
        .filter((file) => file.endsWith('.json'))
        .flatMap((file) => [...verbsIn(JSON.parse(readFileSync(`cards/${file}`, 'utf8')))])
        .filter((verb) => !verb.includes('${')),
    );
    const inCode = new Set(
      sources('src').flatMap((file) =>
        [
          ...readFileSync(file, 'utf8').matchAll(
            /(?:actionVerb:\s*|type: 'Action\.Execute'[^}]*?verb:\s*)'([a-z]+\.[a-zA-Z]+)'/g,
          ),
        ].map((match) => match[1]!),
      ),
    );
    expect(registered.length).toBeGreaterThan(30);
    expect([...inTemplates].filter((verb) => !registered.includes(verb))).toEqual([]);
    expect(registered.filter((verb) => !inTemplates.has(verb) && !inCode.has(verb))).toEqual([]);
  });
});

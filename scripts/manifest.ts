import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { CommandScope, CommandSpec } from '../src/bot/command-table.js';

export const MANIFEST_VERSION = '1.30';
const MAX_COMMANDS = 10;

/** The Teams manifest schema bundled in @microsoft/app-manifest (no network needed). */
export function bundledSchema(): object {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const path = join(
    root,
    'build',
    'json-schemas',
    'teams',
    `v${MANIFEST_VERSION}`,
    'MicrosoftTeams.schema.json',
  );
  return JSON.parse(readFileSync(path, 'utf8')) as object;
}

type Manifest = Record<string, unknown> & { bots?: { commandLists?: unknown }[] };

/** Fills `${{KEY}}` placeholders from `env` and the bot's command menu from the command table. */
export function buildManifest(
  template: string,
  commands: readonly CommandSpec[],
  env: Record<string, string | undefined>,
): Manifest {
  const missing = new Set<string>();
  const filled = template.replace(/\$\{\{([A-Z_]+)\}\}/g, (_, key: string) => {
    const value = env[key];
    if (!value) missing.add(key);
    return value ?? '';
  });
  if (missing.size > 0) throw new Error(`Missing values: ${[...missing].join(', ')}`);
  const manifest = JSON.parse(filled) as Manifest;
  const scopes: CommandScope[] = ['personal', 'team', 'groupChat'];
  for (const bot of manifest.bots ?? []) {
    bot.commandLists = scopes.map((scope) => ({
      scopes: [scope],
      commands: commands
        .filter((command) => command.scopes.includes(scope))
        .slice(0, MAX_COMMANDS)
        .map((command) => ({
          title: command.menuTitle ?? command.name,
          description: command.summary,
        })),
    }));
  }
  return manifest;
}

/** Readable problems with a manifest: schema errors first, then our own rules. */
export function validateManifest(manifest: unknown): string[] {
  const Ajv04 = ajvDraft04.default;
  const ajv = new Ajv04({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(bundledSchema());
  const problems = validate(manifest)
    ? []
    : (validate.errors ?? []).map(
        (e: { instancePath: string; message?: string }) =>
          `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`,
      );
  const bots = (manifest as Manifest).bots ?? [];
  for (const bot of bots) {
    const lists = (bot.commandLists ?? []) as { commands: unknown[] }[];
    for (const list of lists) {
      if (list.commands.length > MAX_COMMANDS)
        problems.push('/bots commandLists has more than 10 commands');
    }
  }
  return problems;
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  if (bytes.subarray(1, 4).toString('ascii') !== 'PNG') throw new Error('Not a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

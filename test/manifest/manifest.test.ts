import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { commandTable } from '../../src/bot/command-table.js';
import { buildManifest, validateManifest } from '../../scripts/manifest.js';
import { packageApp } from '../../scripts/package-app.js';

const template = readFileSync('manifest/manifest.json', 'utf8');
const env = { BOT_ID: '00000000-0000-0000-0000-00000000f175', BOT_DOMAIN: 'finsam.example.se' };

describe('the Teams app manifest', () => {
  it('when filled for an environment, then it validates against the schema bundled in @microsoft/app-manifest', () => {
    expect(validateManifest(buildManifest(template, commandTable, env))).toEqual([]);
  });

  it('when the command menu is built, then each scope lists exactly the command table entries for it (at most 10)', () => {
    const manifest = buildManifest(template, commandTable, env) as {
      bots: { commandLists: { scopes: string[]; commands: { title: string }[] }[] }[];
    };
    for (const list of manifest.bots[0]!.commandLists) {
      const scope = list.scopes[0]!;
      const expected = commandTable
        .filter((c) => (c.scopes as readonly string[]).includes(scope))
        .map((c) => ('menuTitle' in c ? c.menuTitle : c.name));
      expect(list.commands.map((c) => c.title)).toEqual(expected);
      expect(list.commands.length).toBeLessThanOrEqual(10);
    }
  });

  it('when a value is missing or the manifest is broken, then the problems are reported', () => {
    expect(() => buildManifest(template, commandTable, { BOT_ID: env.BOT_ID })).toThrow(
      /BOT_DOMAIN/,
    );
    const broken = buildManifest(template, commandTable, env) as Record<string, unknown>;
    const description = broken.description as { short: string };
    description.short = 'x'.repeat(200);
    delete broken.accentColor;
    const problems = validateManifest(broken);
    expect(problems.some((p) => p.includes('/description/short'))).toBe(true);
    expect(problems.some((p) => p.includes('accentColor'))).toBe(true);
  });

  it('when packaged, then the zip holds the filled manifest and both icons', async () => {
    const root = mkdtempSync(join(tmpdir(), 'finsam-package-'));
    mkdirSync(join(root, 'manifest'));
    mkdirSync(join(root, 'env'));
    for (const file of ['manifest.json', 'color.png', 'outline.png']) {
      copyFileSync(join('manifest', file), join(root, 'manifest', file));
    }
    writeFileSync(
      join(root, 'env', '.env.test'),
      `BOT_ID=${env.BOT_ID}\nBOT_DOMAIN=${env.BOT_DOMAIN}\n`,
    );
    const { path } = await packageApp(root, 'test');
    const zip = await JSZip.loadAsync(readFileSync(path));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as {
      id: string;
      validDomains: string[];
    };
    expect(manifest.id).toBe(env.BOT_ID);
    expect(manifest.validDomains).toEqual(['finsam.example.se']);
  });

  it('when an icon has the wrong size, then packaging refuses', async () => {
    const root = mkdtempSync(join(tmpdir(), 'finsam-package-'));
    mkdirSync(join(root, 'manifest'));
    mkdirSync(join(root, 'env'));
    copyFileSync('manifest/manifest.json', join(root, 'manifest', 'manifest.json'));
    copyFileSync('manifest/outline.png', join(root, 'manifest', 'color.png'));
    copyFileSync('manifest/outline.png', join(root, 'manifest', 'outline.png'));
    writeFileSync(join(root, 'env', '.env.test'), `BOT_ID=${env.BOT_ID}\nBOT_DOMAIN=x.se\n`);
    await expect(packageApp(root, 'test')).rejects.toThrow(/color.png must be 192×192/);
  });
});

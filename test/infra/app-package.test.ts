import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { packageApp } from '../../scripts/package-app.js';

/** A copy of the repository parts packaging reads, with one env file made from `envText`. */
function workspace(envName: string, envText: string): string {
  const root = mkdtempSync(join(tmpdir(), 'finsam-env-'));
  mkdirSync(join(root, 'manifest'));
  mkdirSync(join(root, 'env'));
  for (const file of ['manifest.json', 'color.png', 'outline.png']) {
    copyFileSync(join('manifest', file), join(root, 'manifest', file));
  }
  writeFileSync(join(root, 'env', `.env.${envName}`), envText);
  return root;
}

const fill = (example: string, values: Record<string, string>) =>
  example.replace(/^(\w+)=$/gm, (line, key: string) => `${key}=${values[key] ?? ''}`);

describe('the Teams app package per environment', () => {
  for (const envName of ['dev', 'prod']) {
    it(`when env/.env.${envName}.example is filled with the deployment outputs, then the package carries that bot id and domain`, async () => {
      const example = readFileSync(`env/.env.${envName}.example`, 'utf8');
      const outputs = {
        BOT_ID: '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
        BOT_DOMAIN: `finsam-${envName}-app.azurewebsites.net`,
      };
      const root = workspace(envName, fill(example, outputs));
      const { path } = await packageApp(root, envName);
      expect(path.endsWith(`appPackage.${envName}.zip`)).toBe(true);
      const zip = await JSZip.loadAsync(readFileSync(path));
      const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as {
        id: string;
        bots: { botId: string }[];
        validDomains: string[];
        developer: { websiteUrl: string };
      };
      expect(manifest.id).toBe(outputs.BOT_ID);
      expect(manifest.bots[0]!.botId).toBe(outputs.BOT_ID);
      expect(manifest.validDomains).toEqual([outputs.BOT_DOMAIN]);
      expect(manifest.developer.websiteUrl).toBe(`https://${outputs.BOT_DOMAIN}`);
    });
  }

  it('when the example is used unfilled, then packaging refuses and names the empty values', async () => {
    const root = workspace('dev', readFileSync('env/.env.dev.example', 'utf8'));
    await expect(packageApp(root, 'dev')).rejects.toThrow(/BOT_ID must be a GUID/);
  });

  it('when the domain is given as a URL, then packaging refuses with the expected form', async () => {
    const root = workspace(
      'prod',
      'BOT_ID=3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d\nBOT_DOMAIN=https://finsam-prod-3kd8x2-app.azurewebsites.net/\n',
    );
    await expect(packageApp(root, 'prod')).rejects.toThrow(
      /BOT_DOMAIN must be a host name without https:\/\//,
    );
  });
});

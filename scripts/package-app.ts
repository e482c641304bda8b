import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import JSZip from 'jszip';
import { z } from 'zod';
import { commandTable } from '../src/bot/command-table.js';
import { buildManifest, pngSize, validateManifest } from './manifest.js';

const packageEnvironment = z.object({
  BOT_ID: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID'),
  BOT_DOMAIN: z
    .string()
    .regex(
      /^(?!-)[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})+$/i,
      'must be a host name without https:// or a path, e.g. finsam-prod-3kd8x2-app.azurewebsites.net',
    ),
});

/**
 * `npm run package [-- --env <name>]`: the Teams app zip for one environment, from
 * manifest/manifest.json and env/.env.<name>, validated offline first.
 */
export async function packageApp(
  root: string,
  envName: string,
): Promise<{ path: string; bytes: number }> {
  const envFile = join(root, 'env', `.env.${envName}`);
  if (!existsSync(envFile)) throw new Error(`No ${envFile}; copy env/.env.example`);
  const env = Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#') && line.includes('='))
      .map((line) => [
        line.slice(0, line.indexOf('=')).trim(),
        line.slice(line.indexOf('=') + 1).trim(),
      ]),
  );
  const checked = packageEnvironment.safeParse(env);
  if (!checked.success) {
    const problems = checked.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    throw new Error(`${envFile} is not valid:\n- ${problems.join('\n- ')}`);
  }
  const manifest = buildManifest(
    readFileSync(join(root, 'manifest', 'manifest.json'), 'utf8'),
    commandTable,
    { ...env, ...checked.data },
  );
  const color = readFileSync(join(root, 'manifest', 'color.png'));
  const outline = readFileSync(join(root, 'manifest', 'outline.png'));
  const problems = validateManifest(manifest);
  const sizes = [
    ['color.png', pngSize(color), 192],
    ['outline.png', pngSize(outline), 32],
  ] as const;
  for (const [name, size, expected] of sizes) {
    if (size.width !== expected || size.height !== expected) {
      problems.push(`${name} must be ${expected}×${expected}, is ${size.width}×${size.height}`);
    }
  }
  if (problems.length > 0)
    throw new Error(`The manifest is not valid:\n- ${problems.join('\n- ')}`);

  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2));
  zip.file('color.png', color);
  zip.file('outline.png', outline);
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  const outDir = join(root, 'appPackage', 'build');
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `appPackage.${envName}.zip`);
  writeFileSync(path, bytes);
  return { path, bytes: bytes.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { env: { type: 'string', default: 'local' } } });
  try {
    const { path, bytes } = await packageApp(process.cwd(), values.env!);
    console.log(`Wrote ${path} (${bytes} bytes)`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

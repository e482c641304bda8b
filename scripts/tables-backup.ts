import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../src/config.js';
import {
  backupRowSchema,
  exportTable,
  restoreTable,
  type BackupRow,
  type RestoreCount,
} from '../src/storage/table-backup.js';
import { createTableStore, TABLE_NAMES, type TableStore } from '../src/storage/table-store.js';

const backupSummarySchema = z.object({
  exportedAt: z.iso.datetime(),
  tables: z.record(z.string(), z.number().int().min(0)),
});

/**
 * `npm run tables -- export --dir <folder>` writes every table as `<table>.ndjson` (one typed row
 * per line) plus `backup.json`; `npm run tables -- restore --dir <folder>` writes the rows back
 * with conditional creates. Storage and table prefix come from the same settings as the bot.
 */
export async function exportAll(
  store: TableStore,
  dir: string,
  now: Date = new Date(),
): Promise<Record<string, number>> {
  mkdirSync(dir, { recursive: true });
  const counts: Record<string, number> = {};
  for (const table of TABLE_NAMES) {
    const out = createWriteStream(join(dir, `${table}.ndjson`), { encoding: 'utf8' });
    let count = 0;
    for await (const row of exportTable(store, table)) {
      if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
      count++;
    }
    out.end();
    await once(out, 'finish');
    counts[table] = count;
  }
  writeFileSync(
    join(dir, 'backup.json'),
    JSON.stringify({ exportedAt: now.toISOString(), tables: counts }, null, 2),
  );
  return counts;
}

async function* rowsOf(path: string): AsyncGenerator<BackupRow> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim()) yield backupRowSchema.parse(JSON.parse(line));
  }
}

export async function restoreAll(
  store: TableStore,
  dir: string,
): Promise<Record<string, RestoreCount>> {
  if (!existsSync(join(dir, 'backup.json'))) throw new Error(`${dir} holds no backup.json`);
  backupSummarySchema.parse(JSON.parse(readFileSync(join(dir, 'backup.json'), 'utf8')));
  await store.ensureTables();
  const counts: Record<string, RestoreCount> = {};
  for (const table of TABLE_NAMES) {
    const path = join(dir, `${table}.ndjson`);
    if (existsSync(path)) counts[table] = await restoreTable(store, table, rowsOf(path));
  }
  return counts;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { dir: { type: 'string' } },
  });
  const [command] = positionals;
  if ((command !== 'export' && command !== 'restore') || !values.dir) {
    console.error('Usage: npm run tables -- export|restore --dir <folder>');
    process.exit(64);
  }
  try {
    const config = loadConfig();
    const store = createTableStore(config.storage, config.tablePrefix);
    const result =
      command === 'export'
        ? await exportAll(store, values.dir)
        : await restoreAll(store, values.dir);
    console.log(JSON.stringify({ command, dir: values.dir, tables: result }, null, 2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

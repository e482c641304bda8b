import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The shape the code keeps: small files, capabilities that use each other only through their
 * schemas and ports, no cycles between folders, and the Bot Framework SDK behind `src/bot`.
 */
const SRC = resolve('src');
const MAX_LINES = 400;

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports of a file, resolved to source paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:import|export)[^'"]*?from\s+'(\.{1,2}\/[^']+)'/g)) {
    found.push(resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts')));
  }
  return found;
}

/** The first folder under src, or `.` for files at its root. */
const folderOf = (file: string) => {
  const parts = relative(SRC, file).split('/');
  return parts.length > 1 ? parts[0]! : '.';
};

/** The composition root wires every capability together; the rules are for what it wires. */
const isCompositionRoot = (file: string) =>
  ['app.ts', 'index.ts'].includes(relative(SRC, file)) || relative(SRC, file).startsWith('wiring/');

/** Folders every capability may use: the bot seam, shared kernels and plumbing. */
const SHARED = new Set([
  '.',
  'bot',
  'audit',
  'privacy',
  'schedule',
  'telemetry',
  'storage',
  'http',
  'conversations',
  'documents',
  'help',
]);

describe('the shape of the code', () => {
  it(`when source files are counted, then none is over ${MAX_LINES} lines`, () => {
    const long = sourceFiles()
      .map((file) => ({
        file: relative(SRC, file),
        lines: readFileSync(file, 'utf8').split('\n').length,
      }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines}`);
    expect(long).toEqual([]);
  });

  it('when imports between top-level folders are drawn, then they form no cycle', () => {
    const edges = new Map<string, Set<string>>();
    for (const file of sourceFiles()) {
      if (isCompositionRoot(file)) continue;
      for (const target of importsOf(file)) {
        const [from, to] = [folderOf(file), folderOf(target)];
        if (from === to || to === '.' || from === '.') continue;
        if (!edges.has(from)) edges.set(from, new Set());
        edges.get(from)!.add(to);
      }
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      for (const next of edges.get(node) ?? []) {
        if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else visit(next, [...path, next]);
      }
    };
    for (const node of edges.keys()) visit(node, [node]);
    expect([
      ...new Set(cycles.map((cycle) => cycle.split(' → ').slice(0, -1).sort().join(','))),
    ]).toEqual([]);
  });

  it("when a capability uses another, then only through that one's schema or port modules", () => {
    const internals: string[] = [];
    for (const file of sourceFiles()) {
      const from = folderOf(file);
      if (SHARED.has(from) || isCompositionRoot(file)) continue;
      for (const target of importsOf(file)) {
        const to = folderOf(target);
        if (to === from || SHARED.has(to)) continue;
        if (/\.(schema|port)\.ts$/.test(target)) continue;
        internals.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    expect(internals).toEqual([]);
  });

  it('when packages are imported, then botbuilder and teams-ai appear only in src/bot and src/app.ts', () => {
    const outside = sourceFiles()
      .filter((file) => !relative(SRC, file).startsWith('bot/') && relative(SRC, file) !== 'app.ts')
      .filter((file) =>
        /from '(botbuilder|@microsoft\/teams-ai)[^']*'/.test(readFileSync(file, 'utf8')),
      )
      .map((file) => relative(SRC, file));
    expect(outside).toEqual([]);
  });
});

/**
 * The layering ARCHITECTURE.md describes, checked on the source: no import cycles (type-only
 * imports included), and src/ reaches flows/ only from the CLI wiring.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { REPO } from '../support/cli.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every relative import or re-export of a file, static or dynamic, resolved to the .ts file. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)\.js'/g)].map((m) => m[1]!);
  return specs.map((s) => resolve(dirname(file), `${s}.ts`));
}

const files = [...sourceFiles(join(REPO, 'src')), ...sourceFiles(join(REPO, 'flows'))];
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => relative(REPO, f);

it('the production modules import each other without a cycle', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (f: string, path: string[]) => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') {
      cycles.push([...path.slice(path.indexOf(f)), f].map(rel).join(' → '));
      return;
    }
    state.set(f, 'open');
    for (const g of graph.get(f) ?? []) visit(g, [...path, f]);
    state.set(f, 'done');
  };
  for (const f of files) visit(f, []);
  expect(files.length).toBeGreaterThan(50);
  expect(cycles).toEqual([]);
});

it('src/ imports flows/ only from the command-line wiring', () => {
  const wiring = new Set(['src/commands.ts', 'src/cli.ts']);
  const crossing = files.filter((f) => rel(f).startsWith('src/') && !wiring.has(rel(f)) && (graph.get(f) ?? []).some((g) => rel(g).startsWith('flows/')));
  expect(crossing.map(rel)).toEqual([]);
});

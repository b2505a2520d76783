#!/usr/bin/env node
// Tests run the code they mean: dist/ (what bin/ and the e2e tests run) must be built from the
// current src/ and flows/. Every .ts there needs its dist/ .js, written no earlier than the .ts
// (tsc rewrites every output on each build), and the bundle bin/ runs must be newer than all of
// dist/src. Exit 1 with the stale files named; importable too.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Source files whose dist/ output is missing or older than they are, as repo-relative paths. */
export function staleDist(repo = REPO) {
  const stale = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const rel = relative(repo, p);
        const out = join(repo, 'dist', rel.replace(/\.ts$/, '.js'));
        if (!existsSync(out)) stale.push(`${rel} (dist/${relative(join(repo, 'dist'), out)} missing)`);
        else if (statSync(out).mtimeMs < statSync(p).mtimeMs) stale.push(`${rel} (changed after dist/ was built)`);
      }
    }
  };
  for (const d of ['src', 'flows']) if (existsSync(join(repo, d))) walk(join(repo, d));
  // bin/ runs the bundle made from dist/src: it must be as new as the newest compiled module.
  const bundle = join(repo, 'dist', 'bundle', 'entry.js');
  if (!existsSync(bundle)) stale.push('dist/bundle/entry.js missing');
  else if (statSync(bundle).mtimeMs < newestJs(join(repo, 'dist', 'src'))) stale.push('dist/bundle/ (older than dist/src)');
  return stale;
}

function newestJs(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile() && e.name.endsWith('.js')) newest = Math.max(newest, statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs);
  return newest;
}

export function distProblem(repo = REPO) {
  const stale = staleDist(repo);
  if (!stale.length) return null;
  const shown = stale.slice(0, 5).join(', ') + (stale.length > 5 ? ` and ${stale.length - 5} more` : '');
  return `dist/ is stale: ${shown}. The e2e, tty and real tests run dist/ (bin/openclaw-token-wizard.js): run \`npm run build\` first (npm test does).`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const problem = distProblem();
  if (problem) {
    console.error(`FATAL: ${problem}`);
    process.exit(1);
  }
  console.log('dist/ is up to date with src/ and flows/');
}

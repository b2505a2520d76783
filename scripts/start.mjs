#!/usr/bin/env node
// `npm start`: runs the wizard from dist/, compiling first only when a source is newer than the
// build (so a second start is instant, and an edited checkout never runs stale code).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mtime = (p) => {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return -1;
  }
};
const newestSource = () => {
  let newest = mtime(join(root, 'tsconfig.json'));
  for (const dir of ['src', 'flows'])
    for (const f of readdirSync(join(root, dir), { recursive: true, withFileTypes: true }))
      if (f.isFile() && f.name.endsWith('.ts')) newest = Math.max(newest, mtime(join(f.parentPath ?? f.path, f.name)));
  return newest;
};
if (mtime(join(root, 'dist', 'bundle', 'entry.js')) < newestSource()) {
  process.stderr.write('Building (sources changed since the last build)…\n');
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle.mjs')], { stdio: 'inherit' });
}
await import(pathToFileURL(join(root, 'bin', 'openclaw-token-wizard.js')).href);

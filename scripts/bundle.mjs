#!/usr/bin/env node
// The CLI as people run it: one ESM bundle of dist/src (what tsc just built) in dist/bundle/, with a
// chunk per lazily loaded command. Node's ESM loader pays per file: `diagnose --json` opened 220
// modules (72 of them yaml's) before it did any work; the bundle opens a handful. tsc's dist/src
// stays: the tests, the bench and the demo's fake CLI (run as its own script) use it.
//   node scripts/bundle.mjs        (run by `npm run build`, after tsc)
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bundle');

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: [join(ROOT, 'dist', 'src', 'entry.js')],
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.12',
  // `open` finds its xdg-open script beside its own module; ws's native speed-ups are optional.
  external: ['open', 'bufferutil', 'utf-8-validate'],
  // Some bundled packages are CommonJS and call require(): give the ESM chunks one.
  banner: { js: "import { createRequire as __otwCreateRequire } from 'node:module'; const require = __otwCreateRequire(import.meta.url);" },
  legalComments: 'eof',
  logLevel: 'warning',
});

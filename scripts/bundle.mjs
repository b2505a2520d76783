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

// `import { request } from 'node:http'` makes Node build an ES module facade of node:http, which
// reads every export: on Node 22+ that runs its WebSocket/CloseEvent/MessageEvent getters, which
// load all of undici (19 ms of a 165 ms `diagnose --json` on Node 24). require() hands over the
// CommonJS object and runs no getter, so our own imports of node:http(s) become require() (the
// banner gives every chunk one). Only these two: the other builtins' facades cost far less than
// the extra chunk each such shim becomes.
const BY_REQUIRE = /^(node:)?https?$/;
const httpByRequire = {
  name: 'http-by-require',
  setup(b) {
    b.onResolve({ filter: BY_REQUIRE }, (args) => {
      if (args.namespace === 'by-require') return { path: args.path, external: true };
      if (args.importer.includes('/node_modules/')) return undefined;
      return { path: args.path.replace(/^(node:)?/, 'node:'), namespace: 'by-require' };
    });
    b.onLoad({ filter: /.*/, namespace: 'by-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

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
  plugins: [httpByRequire],
  legalComments: 'eof',
  logLevel: 'warning',
});

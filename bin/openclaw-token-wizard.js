#!/usr/bin/env node
// Thin launcher: the bundled entry lives in dist/bundle/ (built by `npm run build`; `npm pack` builds it in `prepack`).
import module from 'node:module';

// Node >= 22.1 can keep the compiled bundle in its own cache (<tmpdir>/node-compile-cache, as
// TypeScript's launcher does): compiling the chunks is about 10 ms of a 115 ms
// `diagnose --json`. A dry run writes nothing at all, not even that cache. Node 20 has no cache.
if (!process.argv.includes('--dry-run')) module.enableCompileCache?.();
const { run } = await import('../dist/bundle/entry.js');
run();

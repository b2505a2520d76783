#!/usr/bin/env node
// Thin launcher: the bundled entry lives in dist/bundle/ (built by `npm run build`; `npm pack` builds it in `prepack`).
import { run } from '../dist/bundle/entry.js';
run();

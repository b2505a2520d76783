#!/usr/bin/env node
// Thin launcher: the compiled entry lives in dist/ (built by `npm run build`; `npm pack` builds it in `prepack`).
import { run } from '../dist/src/entry.js';
run();

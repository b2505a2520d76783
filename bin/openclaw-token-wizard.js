#!/usr/bin/env node
// Thin launcher: the compiled entry lives in dist/ (built by `npm run build`, run by `prepare`).
import { run } from '../dist/src/entry.js';
run();

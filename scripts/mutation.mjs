#!/usr/bin/env node
// npm run test:mutation [-- --incremental] [-- src/x.ts ...]: Stryker once per module of
// test/mutation/modules.mjs, each against its own unit tests, then one score over all of them.
// Fails when a run fails or when the overall score is under thresholds.break of stryker.config.mjs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import base from '../stryker.config.mjs';
import { MUTATION_MODULES } from '../test/mutation/modules.mjs';

const args = process.argv.slice(2);
const incremental = args.includes('--incremental');
const only = args.filter((a) => !a.startsWith('--'));
const modules = Object.keys(MUTATION_MODULES).filter((m) => !only.length || only.includes(m));
if (!modules.length) throw new Error(`no configured module among ${only.join(', ')}`);

mkdirSync('.tmp/mutation', { recursive: true });
const rows = [];
let failed = false;
for (const mod of modules) {
  const name = basename(mod, '.ts');
  const report = `.tmp/mutation/${name}.json`;
  // One config per module: its own report, temp dir and incremental file; no break per module
  // (the threshold is on the overall score, below).
  const config = resolve(`.tmp/mutation/${name}.stryker.mjs`);
  writeFileSync(
    config,
    `import base from ${JSON.stringify(resolve('stryker.config.mjs'))};\n` +
      `export default { ...base, mutate: [${JSON.stringify(mod)}], reporters: ['clear-text', 'json'], ` +
      `jsonReporter: { fileName: ${JSON.stringify(report)} }, thresholds: { ...base.thresholds, break: null }, ` +
      `tempDirName: ${JSON.stringify(`.tmp/stryker-${name}`)}, incrementalFile: ${JSON.stringify(`.tmp/mutation/incremental-${name}.json`)} };\n`,
  );
  console.log(`\n=== mutation: ${mod} (${MUTATION_MODULES[mod].length} test files)`);
  const r = spawnSync('npx', ['stryker', 'run', config, ...(incremental ? ['--incremental'] : [])], {
    stdio: 'inherit',
    env: { ...process.env, MUTATION_TESTS: MUTATION_MODULES[mod].join(',') },
  });
  if (r.status !== 0) {
    console.error(`FATAL: stryker failed on ${mod} (exit ${r.status})`);
    failed = true;
    continue;
  }
  const counts = { detected: 0, undetected: 0 };
  for (const f of Object.values(JSON.parse(readFileSync(report, 'utf8')).files))
    for (const m of f.mutants) {
      if (m.status === 'Killed' || m.status === 'Timeout') counts.detected++;
      else if (m.status === 'Survived' || m.status === 'NoCoverage') counts.undetected++;
    }
  rows.push({ mod, ...counts });
}

const pct = (d, u) => (d + u ? (100 * d) / (d + u) : 100).toFixed(2);
console.log('\nmodule                          score   detected  undetected');
for (const r of rows) console.log(`${r.mod.padEnd(30)} ${pct(r.detected, r.undetected).padStart(6)}%  ${String(r.detected).padStart(8)}  ${String(r.undetected).padStart(10)}`);
const d = rows.reduce((s, r) => s + r.detected, 0);
const u = rows.reduce((s, r) => s + r.undetected, 0);
const score = Number(pct(d, u));
console.log(`${'all'.padEnd(30)} ${pct(d, u).padStart(6)}%  ${String(d).padStart(8)}  ${String(u).padStart(10)}`);
const floor = base.thresholds?.break;
if (!only.length && typeof floor === 'number' && score < floor) {
  console.error(`FATAL: mutation score ${score}% is under thresholds.break ${floor}% (stryker.config.mjs)`);
  failed = true;
}
process.exit(failed ? 1 : 0);

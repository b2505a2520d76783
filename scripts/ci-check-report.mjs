#!/usr/bin/env node
// Reads a vitest JSON report and fails loudly when a suite ran no test, had a failure, or
// skipped a whole file. With --total, prints the plain closing line CI reads: "N passed, N failed".
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const load = (f) => {
  try {
    return JSON.parse(readFileSync(f, 'utf8'));
  } catch (err) {
    console.error(`FATAL: no test report at ${f} (${err.message}): the suite did not run`);
    process.exit(1);
  }
};

if (args[0] === '--total') {
  let passed = 0, failed = 0, skipped = 0;
  for (const f of args.slice(1)) {
    const r = load(f);
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`total: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  console.log(`ci: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

const [name, file] = args;
const r = load(file);
const skippedFiles = r.testResults.filter((t) => t.assertionResults.length > 0 && t.assertionResults.every((a) => a.status === 'pending' || a.status === 'skipped'));
const problems = [];
if (r.numTotalTests === 0 || r.numPassedTests === 0) problems.push('ran no test');
if (r.numFailedTests > 0 || r.numFailedTestSuites > 0) problems.push(`${r.numFailedTests} failed test(s), ${r.numFailedTestSuites} failed file(s)`);
if (skippedFiles.length) problems.push(`whole file(s) skipped: ${skippedFiles.map((t) => t.name).join(', ')}`);
console.log(`suite ${name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped, in ${r.testResults.length} file(s)`);
if (problems.length) {
  console.error(`FATAL: suite ${name}: ${problems.join('; ')}`);
  process.exit(1);
}

#!/usr/bin/env node
// Reads a vitest JSON report and fails loudly when a suite ran no test, had a failure, or skipped
// a test that test/skip-allowlist.json does not name (with a reason). A todo test always fails.
// With --total, prints the plain closing line CI reads: "N passed, N failed".
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ALLOWLIST = join(REPO, 'test', 'skip-allowlist.json');

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
  let passed = 0,
    failed = 0,
    skipped = 0;
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

/** The allow-list: every entry names a file, a test (its title, or its full name) and a reason. */
function loadAllowlist() {
  const doc = load(ALLOWLIST);
  const entries = Array.isArray(doc.allow) ? doc.allow : [];
  for (const e of entries) {
    if (typeof e.file !== 'string' || typeof e.test !== 'string' || typeof e.reason !== 'string' || e.reason.trim().length < 10) {
      console.error(`FATAL: ${relative(REPO, ALLOWLIST)}: every entry needs "file", "test" and a "reason" (got ${JSON.stringify(e)})`);
      process.exit(1);
    }
  }
  return entries;
}

const [name, file] = args;
const r = load(file);
const allow = loadAllowlist();
const problems = [];
const notRun = [];
const allowedSkips = [];
for (const t of r.testResults) {
  const rel = relative(REPO, t.name);
  for (const a of t.assertionResults) {
    if (a.status === 'passed' || a.status === 'failed') continue;
    const entry = allow.find((e) => e.file === rel && (e.test === a.title || e.test === a.fullName));
    if (a.status === 'todo' || !entry) notRun.push(`${rel} > ${a.fullName} (${a.status})`);
    else allowedSkips.push(`${rel} > ${a.title}: ${entry.reason}`);
  }
}
if (r.numTotalTests === 0 || r.numPassedTests === 0) problems.push('ran no test');
if (r.numFailedTests > 0 || r.numFailedTestSuites > 0) problems.push(`${r.numFailedTests} failed test(s), ${r.numFailedTestSuites} failed file(s)`);
if (notRun.length) problems.push(`${notRun.length} test(s) skipped or todo and not on ${relative(REPO, ALLOWLIST)}:\n  ${notRun.join('\n  ')}`);
console.log(`suite ${name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped, in ${r.testResults.length} file(s)`);
for (const s of allowedSkips) console.log(`  allowed skip: ${s}`);
if (problems.length) {
  console.error(`FATAL: suite ${name}: ${problems.join('; ')}`);
  process.exit(1);
}

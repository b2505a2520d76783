// Mutation testing (npm run test:mutation): one deliberate bug at a time in the core modules, and
// the unit tests must catch each. The score is reported in the README; below `break` the run fails.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/secret.ts',
    'src/gateway/classify.ts',
    'src/hygiene.ts',
    'src/facts/dotenv.ts',
    'src/actions/openclaw-cli.ts',
    'src/diagnosis/report.ts',
    'src/text/shell-quote.ts',
    'src/text/json5-edit.ts',
    'src/actions/env-line-edit.ts',
  ],
  // Survived and uncovered mutants count against the score. The goal is 85 (issue 13); `break`
  // sits just under the score measured when this was set up (54.31%, 2026-11-30) so it can only
  // go up: raise it with every test that kills mutants, to 85 at the end.
  thresholds: { high: 90, low: 85, break: 54 },
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: '.tmp/mutation/report.html' },
  jsonReporter: { fileName: '.tmp/mutation/report.json' },
  tempDirName: '.tmp/stryker',
  cleanTempDir: 'always',
  // `npm run test:mutation -- --incremental` reuses this file: only mutants whose code or tests
  // changed run again. CI keeps its file outside the fresh clone (see .ci/run).
  incrementalFile: '.tmp/mutation/incremental.json',
  ignorePatterns: ['dist', '.tmp', 'snapshots', 'test/real', 'test/tty'],
};

import { defineConfig } from 'vitest/config';

// The tests Stryker runs against each mutant (npm run test:mutation): the in-process part of the
// fast suite. The e2e tests run dist/ in a child process, so they never see a mutant of src/.
// MUTATION_TESTS (comma-separated globs) narrows the set for a run on one module: CPU is scarce and
// a module's static mutants (top-level tables) otherwise run every unit test. A narrowed run can
// only under-report (a test left out might have killed a mutant), never over-report.
const narrowed = process.env.MUTATION_TESTS?.split(',').filter(Boolean);

export default defineConfig({
  test: {
    include: narrowed?.length ? narrowed : ['test/unit/**/*.test.ts'],
    testTimeout: 20_000,
    expect: { requireAssertions: true },
  },
});

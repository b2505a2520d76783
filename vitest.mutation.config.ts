import { defineConfig } from 'vitest/config';

// The tests Stryker runs against each mutant (npm run test:mutation): the in-process part of the
// fast suite. The e2e tests run dist/ in a child process, so they never see a mutant of src/.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 20_000,
    expect: { requireAssertions: true },
  },
});

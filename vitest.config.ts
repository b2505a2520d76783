import { defineConfig } from 'vitest/config';

// Every project: refuse a stale dist/ and UPDATE_SNAPSHOTS under CI; stage a checkout other uids can read.
const globalSetup = ['test/support/global-setup.ts'];

// Three suites, each run by its own README command:
//   fast: units, fake-gateway end-to-end, snapshots (npm test)
//   tty:  the CLI under a real terminal via tmux (npm run test:tty)
//   real: real OpenClaw gateways and the real Control UI in Chromium (npm run test:real)
//   docker: a private dockerd, an OpenClaw gateway image and compose projects (npm run test:docker)
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'fast',
          include: ['test/unit/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/flows/**/*.test.ts'],
          testTimeout: 20_000,
          expect: { requireAssertions: true },
          globalSetup,
        },
      },
      {
        test: {
          name: 'tty',
          include: ['test/tty/**/*.test.ts'],
          testTimeout: 60_000,
          fileParallelism: false,
          expect: { requireAssertions: true },
          globalSetup,
        },
      },
      {
        test: {
          name: 'real',
          include: ['test/real/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          expect: { requireAssertions: true },
          globalSetup,
        },
      },
      {
        test: {
          name: 'docker',
          include: ['test/docker/**/*.test.ts'],
          globalSetup: ['test/support/docker-global.ts'],
          testTimeout: 240_000,
          hookTimeout: 600_000,
          fileParallelism: false,
          expect: { requireAssertions: true },
        },
      },
    ],
  },
});

/**
 * Runs once per test project, before any test file (vitest.config.ts `globalSetup`):
 *   - refuses UPDATE_SNAPSHOTS under CI (goldens are rewritten by a developer and reviewed);
 *   - refuses a stale dist/: the e2e, tty and real tests run bin/ → dist/, so a dist/ older than
 *     src/ or flows/ would test other code than the one checked in (npm test builds first);
 *   - stages a world-readable checkout for the tests that run the wizard as another uid, when
 *     the checkout is out of other users' reach, and removes it at the end.
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { distProblem } from '../../scripts/check-dist-fresh.mjs';
import { updatingSnapshots } from './snapshot-policy.js';
import { stageCheckoutForOtherUids } from './other-uid.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A copy of the checkout other uids can read, or '' when they can read the checkout itself. */
    otherUidCheckout: string;
  }
}

export default function setup(project: TestProject): () => void {
  updatingSnapshots();
  const problem = distProblem();
  if (problem) throw new Error(problem);
  const staged = stageCheckoutForOtherUids();
  project.provide('otherUidCheckout', staged ?? '');
  return () => {
    if (staged) rmSync(staged, { recursive: true, force: true });
  };
}

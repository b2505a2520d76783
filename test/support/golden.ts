import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { updatingSnapshots } from './snapshot-policy.js';

export { updatingSnapshots };

export const SNAPSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../snapshots');

/**
 * A golden file under snapshots/: returns what is stored there (written first when
 * UPDATE_SNAPSHOTS=1), so the caller compares with a plain toBe and the diff shows in review.
 */
export function golden(relPath: string, actual: string): string {
  const file = join(SNAPSHOTS, relPath);
  if (updatingSnapshots()) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  if (!existsSync(file)) throw new Error(`missing golden file snapshots/${relPath}: run with UPDATE_SNAPSHOTS=1 to create it, then review it`);
  return readFileSync(file, 'utf8');
}

/** `actual` equals the golden file snapshots/<relPath>. */
export function expectGolden(relPath: string, actual: string): void {
  expect(actual, `golden file snapshots/${relPath}`).toBe(golden(relPath, actual));
}

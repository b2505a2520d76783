/** No vitest import here: the global setup loads this in the main process. */

/**
 * UPDATE_SNAPSHOTS=1 rewrites golden files; under CI it is refused, so a run can never make its
 * own goldens agree with it (.ci/run also fails when a run changed any tracked file).
 */
export function updatingSnapshots(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.UPDATE_SNAPSHOTS !== '1' && env.UPDATE_SNAPSHOTS !== 'true') return false;
  if (env.CI) throw new Error('UPDATE_SNAPSHOTS is refused when CI is set: goldens are rewritten on a developer machine and reviewed');
  return true;
}

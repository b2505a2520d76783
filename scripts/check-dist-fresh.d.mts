/** Source files whose dist/ output is missing or older than they are, as repo-relative paths. */
export function staleDist(repo?: string): string[];
/** One line naming the stale files and the fix, or null when dist/ is up to date. */
export function distProblem(repo?: string): string | null;

import type { CheckResult, CheckStatus } from '../types.js';

export interface Timed<T> {
  value: T | null;
  check: CheckResult;
}

/** Run one fact source under its own timeout; a throw or a timeout becomes a check row, never a crash. */
export async function timed<T>(id: string, timeoutMs: number, work: () => Promise<T>, judge: (v: T) => { status: CheckStatus; note: string }): Promise<Timed<T>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const r = await Promise.race([work(), timeout]);
    const ms = Math.round(performance.now() - started);
    if (r === 'timeout') return { value: null, check: { id, status: 'skip', ms, note: `timed out after ${timeoutMs} ms` } };
    return { value: r, check: { id, ...judge(r), ms } };
  } catch (err) {
    const ms = Math.round(performance.now() - started);
    const msg = err instanceof Error ? err.message : String(err);
    return { value: null, check: { id, status: 'skip', ms, note: `check crashed: ${msg}` } };
  } finally {
    clearTimeout(timer);
  }
}

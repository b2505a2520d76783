import { execFile } from 'node:child_process';

export interface RunResult {
  ok: boolean;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Why it did not run or did not finish: `not found`, `timed out after 2000 ms`, ... */
  failure: string | null;
  ms: number;
}

export interface RunOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  /** How a command that outlives timeoutMs is ended (a change gets SIGTERM, a read SIGKILL). */
  killSignal?: NodeJS.Signals;
}

/**
 * Run a command, never throwing: a missing tool, a timeout or a non-zero exit all come back as
 * data, so that one broken tool only skips its own check and a failed change is reported with
 * its reason. On node:child_process directly: a process-runner library cost about a fifth of a
 * run's start-up.
 */
export function run(file: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let child;
    try {
      child = execFile(
        file,
        args,
        { timeout: opts.timeoutMs, killSignal: opts.killSignal ?? 'SIGTERM', env: opts.env, cwd: opts.cwd, maxBuffer: 8 * 1024 * 1024, encoding: 'utf8', windowsHide: true },
        (error, stdout, stderr) => {
          const ms = performance.now() - started;
          const out = String(stdout ?? '').replace(/\r?\n$/, '');
          const err = String(stderr ?? '').replace(/\r?\n$/, '');
          if (!error) return resolve({ ok: true, exitCode: 0, stdout: out, stderr: err, failure: null, ms });
          const e = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: string | number };
          if (e.code === 'ENOENT') return resolve({ ok: false, exitCode: null, stdout: '', stderr: '', failure: `${file}: not found`, ms });
          if (e.killed && e.signal) return resolve({ ok: false, exitCode: null, stdout: out, stderr: err, failure: `timed out after ${opts.timeoutMs} ms`, ms });
          if (typeof e.code === 'number') return resolve({ ok: false, exitCode: e.code, stdout: out, stderr: err, failure: null, ms });
          resolve({ ok: false, exitCode: null, stdout: out, stderr: err, failure: e.message, ms });
        },
      );
    } catch (err) {
      return resolve({ ok: false, exitCode: null, stdout: '', stderr: '', failure: err instanceof Error ? err.message : String(err), ms: performance.now() - started });
    }
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/**
 * Running a read-only command for a fact (ss, lsof, docker ps/inspect, launchctl getenv,
 * openclaw --version). Same contract as `run()` in src/exec.ts (never throws; a missing tool, a
 * timeout or a non-zero exit come back as data), but on node:child_process directly: diagnose
 * has a 0.5 s budget, and loading execa costs about a fifth of it. Changes the wizard makes
 * (src/actions) go through execa.
 */
import { execFile } from 'node:child_process';
import type { RunResult } from '../exec.js';

export function readCommand(file: string, args: readonly string[], opts: { timeoutMs: number; env?: NodeJS.ProcessEnv; cwd?: string; input?: string }): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let child;
    try {
      child = execFile(
        file,
        args,
        { timeout: opts.timeoutMs, killSignal: 'SIGKILL', env: opts.env, cwd: opts.cwd, maxBuffer: 8 * 1024 * 1024, encoding: 'utf8', windowsHide: true },
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

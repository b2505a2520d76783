/**
 * Running a read-only command for a fact (ss, lsof, docker ps/inspect, launchctl getenv,
 * openclaw --version): `run()` of src/exec.ts, ended with SIGKILL when it outlives its timeout
 * (a read has nothing to finish cleanly).
 */
import { run, type RunOptions, type RunResult } from '../exec.js';

export function readCommand(file: string, args: readonly string[], opts: Omit<RunOptions, 'killSignal'>): Promise<RunResult> {
  return run(file, args, { ...opts, killSignal: 'SIGKILL' });
}

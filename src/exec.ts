export interface RunResult {
  ok: boolean;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Why it did not run or did not finish: `not found`, `timed out after 2000 ms`, ... */
  failure: string | null;
  ms: number;
}

/**
 * Run a command for a fact, never throwing: a missing tool, a timeout or a non-zero exit all come
 * back as data so that one broken tool only skips its own check.
 */
export interface RunOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  /** How a command that outlives timeoutMs is ended (a change gets SIGTERM, the default; a read may use SIGKILL). */
  killSignal?: NodeJS.Signals;
}

export async function run(file: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const started = performance.now();
  try {
    // Loaded on first use: a diagnosis that runs no command does not load the process runner.
    const { execa } = await import('execa');
    const r = await execa(file, args, {
      timeout: opts.timeoutMs,
      killSignal: opts.killSignal ?? 'SIGTERM',
      env: opts.env,
      extendEnv: opts.env === undefined,
      cwd: opts.cwd,
      input: opts.input,
      stdin: opts.input === undefined ? 'ignore' : undefined,
      reject: false,
      stripFinalNewline: true,
      maxBuffer: 8 * 1024 * 1024,
    });
    const ms = performance.now() - started;
    let failure: string | null = null;
    if (r.timedOut) failure = `timed out after ${opts.timeoutMs} ms`;
    else if (r.failed && r.exitCode === undefined) {
      const code = (r as { code?: string }).code;
      failure = code === 'ENOENT' ? `${file}: not found` : String(r.shortMessage ?? r.message ?? 'failed to run');
    }
    return {
      ok: !r.failed && r.exitCode === 0,
      exitCode: r.exitCode ?? null,
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? ''),
      failure,
      ms,
    };
  } catch (err) {
    return {
      ok: false,
      exitCode: null,
      stdout: '',
      stderr: '',
      failure: err instanceof Error ? err.message : String(err),
      ms: performance.now() - started,
    };
  }
}

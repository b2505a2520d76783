// Drives the REAL openclaw@2026.9.6 (installed by scripts/setup-real.mjs) for the `real` suite.
// Safety rules this file enforces:
//   * every gateway runs with the sandbox's temp HOME, a caller-chosen loopback port and
//     `--bind loopback` (bind `auto` would listen on 0.0.0.0 inside a container);
//   * processes are found by what the test owns (its port's listener in the launcher's session,
//     and every process whose environment carries the sandbox HOME), never by name;
//   * known secrets are redacted from every text this module hands back for printing.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { fakeToken, type Sandbox } from './sandbox.js';
import { scrubbedEnv } from './env.js';
import { sleep } from './sleep.js';

export interface RealOpenClaw {
  /** The wrapper script `<cache>/bin/openclaw` (runs openclaw on Node 24 whatever `node` is first on PATH). */
  bin: string;
  /** The Node 24 binary openclaw runs on. */
  node24: string;
  /** The openclaw package version, e.g. `2026.9.6`. */
  version: string;
}

export function realCacheDir(): string {
  return process.env.OPENCLAW_WIZARD_CACHE || join(homedir(), '.cache', 'openclaw-token-wizard');
}

let cached: RealOpenClaw | undefined;

/** Reads the setup marker. Throws (never skips): a real suite that silently skips proves nothing. */
export function realOpenClaw(): RealOpenClaw {
  if (cached) return cached;
  const marker = join(realCacheDir(), 'setup-real.json');
  const hint = 'run `node scripts/setup-real.mjs` (or `npm run test:real`, which runs it first)';
  if (!existsSync(marker)) throw new Error(`real OpenClaw is not installed: ${marker} is missing; ${hint}`);
  let m: { openclaw?: { bin?: string; version?: string }; node24?: { path?: string } };
  try {
    m = JSON.parse(readFileSync(marker, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read ${marker} (${(e as Error).message}); ${hint}`);
  }
  const bin = m.openclaw?.bin;
  const node24 = m.node24?.path;
  const version = m.openclaw?.version;
  if (!bin || !node24 || !version || !existsSync(bin) || !existsSync(node24)) {
    throw new Error(`real OpenClaw cache is incomplete (marker ${marker} points at missing files); ${hint}`);
  }
  cached = { bin, node24, version };
  return cached;
}

// ---------------------------------------------------------------- redaction

/** Replaces every given secret (and any `#token=…` / `token=…` URL value) with `<redacted>`. */
export function redact(text: string, secrets: Iterable<string | null | undefined> = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('<redacted>');
  return out.replace(/([#?&]token=)[^&\s"'<>]+/g, '$1<redacted>');
}

/** Secrets to scrub from a gateway's output: the token plus any env value that looks like a credential. */
function secretsOf(token: string | null | undefined, extraEnv: Record<string, string> | undefined): string[] {
  const out: string[] = [];
  if (token) out.push(token);
  for (const [k, v] of Object.entries(extraEnv ?? {})) if (/TOKEN|PASSWORD|SECRET|KEY/i.test(k) && v) out.push(v);
  return out;
}

// ---------------------------------------------------------------- running the CLI

/**
 * The sandbox env for anything that runs real openclaw (directly, or via the wizard under test):
 * test-runner markers removed, HOME = sandbox home, and the wrapper dir first on PATH so a bare
 * `openclaw` means the real one on Node 24.
 */
export function realEnv(sandbox: Sandbox, extraEnv: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { bin } = realOpenClaw();
  return { ...scrubbedEnv(sandbox.env), ...extraEnv, HOME: sandbox.home, PATH: `${dirname(bin)}:${sandbox.env.PATH ?? '/usr/bin:/bin'}` };
}

export interface OpenclawCmdResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  durationMs: number;
}

/**
 * Runs `openclaw <args>` in the sandbox and never rejects on a non-zero exit (tests assert on it).
 * Output is returned raw: callers that print it must pass it through `redact()`.
 * Don't use it for `gateway run` (it never returns): use startRealGateway.
 */
export async function openclawCmd(sandbox: Sandbox, args: string[], opts: { env?: Record<string, string>; timeoutMs?: number; input?: string } = {}): Promise<OpenclawCmdResult> {
  const { bin } = realOpenClaw();
  const t0 = Date.now();
  const r = await execa(bin, args, {
    env: realEnv(sandbox, opts.env),
    extendEnv: false, // sandbox.env is already a scrubbed copy of process.env
    cwd: sandbox.cwd,
    reject: false,
    timeout: opts.timeoutMs ?? 120_000,
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : undefined,
  });
  return {
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    exitCode: typeof r.exitCode === 'number' ? r.exitCode : -1,
    durationMs: Date.now() - t0,
  };
}

// ---------------------------------------------------------------- process ownership

function isAlive(pid: number): boolean {
  try {
    // A zombie still "exists" for kill(0); it is dead for our purposes (its parent reaps it).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

function sessionId(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[3]); // state ppid pgrp session ...
  } catch {
    return null;
  }
}

function hasHome(pid: number, home: string): boolean {
  try {
    // Kernel threads, other users' processes and just-exited pids throw here: not ours.
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`HOME=${home}`);
  } catch {
    return false;
  }
}

/** Every live process whose environment has HOME=<home>: the sandbox's gateway and all its helpers. */
export function pidsWithHome(home: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    if (hasHome(pid, home) && isAlive(pid)) out.push(pid);
  }
  return out;
}

/** Pids listening on a TCP port (IPv4 and IPv6), from `ss -ltnpH 'sport = :PORT'`. */
export async function listenerPids(port: number): Promise<number[]> {
  const r = await execa('ss', ['-ltnpH', `sport = :${port}`], { reject: false });
  const pids = new Set<number>();
  for (const m of String(r.stdout ?? '').matchAll(/pid=(\d+)/g)) pids.add(Number(m[1]));
  return [...pids];
}

export async function portIsListening(port: number): Promise<boolean> {
  const r = await execa('ss', ['-ltnH', `sport = :${port}`], { reject: false });
  return String(r.stdout ?? '').trim().length > 0;
}

// ---------------------------------------------------------------- gateways

export interface RealGatewayOptions {
  port: number;
  /** undefined: a fresh fakeToken('gateway'); null: no `gateway.auth.token` in config (runtime token). */
  token?: string | null;
  /** gateway.mode; null omits the key (the "suspicious config" startup block). Default 'local'. */
  mode?: 'local' | 'remote' | null;
  /** Extra environment for the gateway process (e.g. OPENCLAW_GATEWAY_TOKEN). */
  extraEnv?: Record<string, string>;
  /** Write openclaw.json (default true). false: the test wrote the config itself. */
  configure?: boolean;
  /** Deep-merged over the generated config, e.g. `{ gateway: { controlUi: { allowedOrigins: [...] } } }`. */
  extraConfig?: Record<string, unknown>;
  /** How long to wait for GET /readyz 200. Default 60 s (observed 8-25 s on 2 cores). */
  readyTimeoutMs?: number;
}

export interface RealGateway {
  port: number;
  /** http://127.0.0.1:PORT (also the Control UI; ws on the same port). */
  url: string;
  wsUrl: string;
  /** The token written into config (null if none was configured). */
  token: string | null;
  /** File receiving the gateway's stdout+stderr. */
  outputFile: string;
  /** The launcher's pid (NOT necessarily the listener). */
  launcherPid: number;
  /** Every live process this gateway owns: listener + sandbox-HOME processes + launcher. */
  pids(): Promise<number[]>;
  /** SIGTERM all owned pids, SIGKILL survivors after 5 s, then assert the port is free. Idempotent. */
  stop(): Promise<void>;
  /** stdout+stderr so far, with the token and credential env values redacted. */
  output(): string;
  /** Milliseconds from spawn to /readyz 200. */
  startMs: number;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k], v) : v;
  return out;
}

/**
 * Hand-written config (verified: 2026.9.6 starts from it; `openclaw config set` would cost ~3 s a key).
 * Returns the token actually written.
 */
export function writeGatewayConfig(sandbox: Sandbox, opts: RealGatewayOptions): string | null {
  const token = opts.token === undefined ? fakeToken('gateway') : opts.token;
  const gateway: Record<string, unknown> = { bind: 'loopback', port: opts.port, auth: token === null ? { mode: 'token' } : { mode: 'token', token } };
  const mode = opts.mode === undefined ? 'local' : opts.mode;
  if (mode !== null) gateway.mode = mode;
  let cfg: Record<string, unknown> = { gateway, logging: { file: sandbox.logFile } };
  if (opts.extraConfig) cfg = deepMerge(cfg, opts.extraConfig);
  writeFileSync(sandbox.configPath, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
  return token;
}

/** Gateways not yet stopped, so an afterAll can sweep them even if a test forgot (or threw first). */
const live = new Set<RealGateway>();
/** Sandbox HOME of each live gateway, for the synchronous last-resort sweep below. */
const liveHomes = new Map<RealGateway, string>();
let exitHookInstalled = false;

/**
 * Last resort if the worker exits without stop() (crash, bail, Ctrl-C): 'exit' handlers must be
 * synchronous, so SIGKILL whatever still carries a live sandbox HOME (a /proc scan, no await).
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const home of liveHomes.values()) {
      for (const p of pidsWithHome(home)) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
  });
}

export async function stopAllRealGateways(): Promise<void> {
  const errors: unknown[] = [];
  for (const g of [...live]) await g.stop().catch((e) => errors.push(e));
  if (errors.length) throw errors[0];
}

interface Launched {
  child: ChildProcess;
  outputFile: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited: () => { code: number | null; signal: NodeJS.Signals | null } | null;
  secrets: string[];
  token: string | null;
  t0: number;
}

function launch(sandbox: Sandbox, opts: RealGatewayOptions): Launched {
  const { bin } = realOpenClaw();
  if (!Number.isInteger(opts.port) || opts.port <= 0) throw new Error(`startRealGateway: bad port ${opts.port}`);
  const token = opts.configure === false ? (opts.token ?? null) : writeGatewayConfig(sandbox, opts);
  const outputFile = join(dirname(sandbox.logFile), `gateway-${opts.port}.out`);
  const fd = openSync(outputFile, 'a');
  const t0 = Date.now();
  // detached: the gateway gets its own session, so a Ctrl-C aimed at vitest does not race our
  // orderly stop(), and the session id lets us recognise its listener on the port.
  const child = spawn(bin, ['gateway', 'run', '--port', String(opts.port), '--bind', 'loopback'], {
    cwd: sandbox.cwd,
    env: realEnv(sandbox, opts.extraEnv),
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd); // the child holds its own copy
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.once('error', () => {
      exitInfo = { code: 127, signal: null };
      resolve(exitInfo);
    });
  });
  child.unref();
  return { child, outputFile, exit, exited: () => exitInfo, secrets: secretsOf(token, opts.extraEnv), token, t0 };
}

function makeHandle(sandbox: Sandbox, opts: RealGatewayOptions, l: Launched): RealGateway {
  const launcherPid = l.child.pid ?? -1;
  let stopped: Promise<void> | null = null;
  const output = () => {
    try {
      return redact(readFileSync(l.outputFile, 'utf8'), l.secrets);
    } catch {
      return '';
    }
  };
  const pids = async (): Promise<number[]> => {
    const set = new Set<number>(pidsWithHome(sandbox.home));
    // The listener counts as ours only if it is provably ours: same sandbox HOME (already in the
    // set) or in the session our detached launcher created. A stranger on a reused port is left alone.
    for (const p of await listenerPids(opts.port)) if (sessionId(p) === launcherPid) set.add(p);
    if (launcherPid > 0 && l.exited() === null && isAlive(launcherPid)) set.add(launcherPid);
    set.delete(process.pid);
    return [...set].sort((a, b) => a - b);
  };
  const doStop = async () => {
    const signalAll = (pids: number[], sig: NodeJS.Signals) => {
      for (const p of pids) {
        try {
          process.kill(p, sig);
        } catch {
          /* already gone */
        }
      }
    };
    signalAll(await pids(), 'SIGTERM');
    // Re-scan while waiting: helpers may be spawned during shutdown and must not be orphaned.
    const deadline = Date.now() + 5_000;
    let left = await pids();
    while (left.length && Date.now() < deadline) {
      await sleep(100);
      left = await pids();
    }
    if (left.length) {
      signalAll(left, 'SIGKILL');
      const killDeadline = Date.now() + 3_000;
      while ((left = await pids()).length && Date.now() < killDeadline) await sleep(100);
    }
    live.delete(handle);
    liveHomes.delete(handle);
    if (left.length) throw new Error(`gateway on port ${opts.port}: processes survived SIGKILL: ${left.join(', ')}`);
    const portDeadline = Date.now() + 3_000;
    while ((await portIsListening(opts.port)) && Date.now() < portDeadline) await sleep(100);
    if (await portIsListening(opts.port)) throw new Error(`gateway on port ${opts.port}: port still listening after stop()`);
  };
  const handle: RealGateway = {
    port: opts.port,
    url: `http://127.0.0.1:${opts.port}`,
    wsUrl: `ws://127.0.0.1:${opts.port}`,
    token: l.token,
    outputFile: l.outputFile,
    launcherPid,
    pids,
    stop: () => (stopped ??= doStop()),
    output,
    startMs: 0, // set by startRealGateway once ready
  };
  live.add(handle);
  liveHomes.set(handle, sandbox.home);
  installExitHook();
  return handle;
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function readyz(port: number): Promise<number | null> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2_000) });
    await r.body?.cancel();
    return r.status;
  } catch {
    return null; // refused / reset while starting
  }
}

/**
 * Starts `openclaw gateway run --port P --bind loopback` in the sandbox and resolves once
 * GET /readyz answers 200. If the launcher exits non-zero, or every owned process is gone, or
 * the timeout passes, it stops whatever it started and throws with the (redacted) last log lines.
 */
export async function startRealGateway(sandbox: Sandbox, opts: RealGatewayOptions): Promise<RealGateway> {
  const l = launch(sandbox, opts);
  const timeoutMs = opts.readyTimeoutMs ?? 60_000;
  const g = makeHandle(sandbox, opts, l);
  let why: string | null = null;
  for (;;) {
    if ((await readyz(opts.port)) === 200) break;
    const ex = l.exited();
    // Launcher exit 0 alone is not failure: a launcher may hand off to a detached
    // `openclaw-gateway` and leave. Failure is a non-zero exit, or nothing of ours left alive.
    if (ex && (ex.code !== 0 || (await g.pids()).length === 0)) {
      why = `gateway exited before ready (code ${ex.code}, signal ${ex.signal})`;
      break;
    }
    if (Date.now() - l.t0 > timeoutMs) {
      why = `gateway not ready after ${timeoutMs} ms`;
      break;
    }
    await sleep(200);
  }
  if (why) {
    const out = g.output();
    await g.stop().catch(() => undefined);
    throw new Error(`${why} on port ${opts.port}; last output:\n${tail(out)}`);
  }
  g.startMs = Date.now() - l.t0;
  return g;
}

export interface ExpectedFailure {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Redacted stdout+stderr. */
  output: string;
  elapsedMs: number;
}

/**
 * For configs the gateway must refuse (e.g. gateway.mode remote / missing): waits for the launcher
 * to exit and returns its code and output. If the gateway becomes ready instead, stops it and throws.
 * Always cleans up every owned process before returning.
 */
export async function startRealGatewayExpectFailure(sandbox: Sandbox, opts: RealGatewayOptions & { timeoutMs?: number }): Promise<ExpectedFailure> {
  const l = launch(sandbox, opts);
  const g = makeHandle(sandbox, opts, l);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  try {
    for (;;) {
      const ex = l.exited();
      if (ex) {
        // Give the output file's last writes (from helpers) a moment, then sweep.
        await sleep(100);
        const output = g.output();
        // After its fatal line the real CLI runs an automatic triage under a lease shared by the whole
        // installation (/tmp/openclaw/managed-update-handoffs.sqlite). A start that finds the lease taken
        // exits at once, and OpenClaw's file logger can still have the fatal record in flight then: its
        // exit handler writes only the records after the batch being appended (logger.ts,
        // drainFileLogQueueSync). A test reading that log would then fail for a reason not its own.
        if (output.includes('Automatic triage already owned')) {
          throw new Error(
            `another OpenClaw triage held the installation's lease, so the gateway on port ${opts.port} took the exit that can lose its log record; run refusals one at a time. Output:\n${tail(output)}`,
          );
        }
        return { exitCode: ex.code, signal: ex.signal, output, elapsedMs: Date.now() - l.t0 };
      }
      if ((await readyz(opts.port)) === 200) {
        throw new Error(`expected the gateway on port ${opts.port} to refuse to start, but /readyz is 200; output:\n${tail(g.output())}`);
      }
      if (Date.now() - l.t0 > timeoutMs) {
        throw new Error(`gateway on port ${opts.port} neither failed nor became ready within ${timeoutMs} ms; output:\n${tail(g.output())}`);
      }
      await sleep(100);
    }
  } finally {
    await g.stop();
  }
}

/**
 * The one way tests run the built CLI (`node bin/openclaw-token-wizard.js`, i.e. dist/; the
 * global setup refuses a dist/ older than src/): runCli, and diagnoseJson on top of it. Every
 * suite builds its own target (env + cwd): the e2e sandbox, the demo sandbox, the real-openclaw
 * sandbox. Async on purpose: a blocked event loop (spawnSync) would leave the test's own child
 * gateways as zombies that still look alive to `kill -0`.
 */
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { expect } from 'vitest';
import type { DiagnosisReport } from '../../src/render/json.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(REPO, 'bin', 'openclaw-token-wizard.js');

/** Where the CLI runs: its whole environment (nothing is inherited) and working directory. */
export interface CliTarget {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Default time limit for this target (the e2e sandboxes: 18 s). */
  timeoutMs?: number;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
  /** Run as this uid (root only): the checkout is staged where that uid can read it, if need be. */
  uid?: number;
  gid?: number;
}

export interface CliRun {
  /** undefined when the process was killed (timeout) instead of exiting. */
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  ms: number;
}

export async function runCli(target: CliTarget, args: string[], opts: RunOptions = {}): Promise<CliRun> {
  const bin = opts.uid === undefined ? BIN : join(checkoutReachableByOthers(), 'bin', 'openclaw-token-wizard.js');
  const t0 = Date.now();
  const r = await execa(process.execPath, [bin, ...args], {
    env: opts.env ?? target.env,
    extendEnv: false,
    cwd: opts.cwd ?? target.cwd,
    reject: false,
    timeout: opts.timeoutMs ?? target.timeoutMs ?? 18_000,
    stripFinalNewline: false,
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
  });
  return { exitCode: r.exitCode, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), ms: Date.now() - t0 };
}

/** Exactly one JSON document: JSON.parse of the whole output, which rejects a second document. */
export function parseOneJson(stdout: string): unknown {
  expect(stdout.trim().startsWith('{')).toBe(true);
  expect(stdout.endsWith('}\n')).toBe(true);
  return JSON.parse(stdout);
}

/** `diagnose --json`: stdout must be exactly one JSON document of the diagnosis schema. */
export async function diagnoseJson(target: CliTarget, args: string[] = [], opts: RunOptions = {}): Promise<CliRun & { report: DiagnosisReport }> {
  const r = await runCli(target, ['diagnose', '--json', ...args], opts);
  if (!r.stdout.trim().startsWith('{')) throw new Error(`diagnose --json printed no JSON (exit ${r.exitCode}); stderr: ${r.stderr.slice(0, 500)}`);
  const report = parseOneJson(r.stdout) as DiagnosisReport;
  expect(report.schema).toBe('openclaw-token-wizard.diagnosis/v1');
  return { ...r, report };
}

// ------------------------------------------------------------------ running as another uid

/** A uid with no passwd entry: os.homedir() has nothing to fall back on. */
export const NO_PASSWD_UID = 54_321;
/** Only root can start the wizard as another uid. */
export const canRunAsOtherUid = typeof process.getuid === 'function' && process.getuid() === 0;

/** Every directory from path up to / can be entered and listed by other users. */
function reachableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o005) !== 0o005) return false;
    if (dirname(dir) === dir) return true;
  }
}

let staged: string | undefined;

/**
 * The checkout itself when other users can reach it; otherwise (a clone inside a 0700 directory,
 * as a CI clone made by `mktemp -d` is) a world-readable copy of what the CLI loads: bin/, dist/,
 * package.json and the runtime dependencies, made once per worker and removed when it exits.
 */
export function checkoutReachableByOthers(): string {
  if (reachableByOthers(REPO) && reachableByOthers(dirname(process.execPath))) return REPO;
  if (staged) return staged;
  if (!reachableByOthers(dirname(process.execPath))) throw new Error(`node (${process.execPath}) is not reachable by other users: cannot run the wizard as another uid`);
  const dir = mkdtempSync(join(tmpdir(), 'otw-checkout-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const copied: string[] = [];
  for (const rel of ['package.json', 'bin', 'dist', ...runtimePackages()]) {
    if (copied.some((c) => rel.startsWith(`${c}/`))) continue;
    cpSync(join(REPO, rel), join(dir, rel), { recursive: true, dereference: true });
    copied.push(rel);
  }
  openToOthers(dir);
  if (!reachableByOthers(dir)) throw new Error(`${dir} is not reachable by other users (is ${tmpdir()} private?)`);
  staged = dir;
  return dir;
}

/** node_modules/… directories (relative to the checkout) of the dependencies the CLI loads at run time. */
function runtimePackages(): string[] {
  const found = new Set<string>();
  const visit = (fromDir: string, name: string) => {
    for (let d = fromDir; ; d = dirname(d)) {
      const pkg = join(d, 'node_modules', name);
      if (existsSync(join(pkg, 'package.json'))) {
        if (found.has(pkg)) return;
        found.add(pkg);
        const meta = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { dependencies?: object; optionalDependencies?: object };
        for (const dep of Object.keys({ ...meta.dependencies, ...meta.optionalDependencies })) visit(pkg, dep);
        return;
      }
      if (d === REPO || dirname(d) === d) return; // an optional dependency that is not installed
    }
  };
  const own = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies?: object };
  for (const dep of Object.keys(own.dependencies ?? {})) visit(REPO, dep);
  return [...found].map((p) => relative(REPO, p)).sort((a, b) => a.length - b.length);
}

/** Directories 0755, files readable by all (executables stay executable). */
function openToOthers(path: string): void {
  const st = statSync(path);
  if (st.isDirectory()) {
    chmodSync(path, 0o755);
    for (const e of readdirSync(path)) openToOthers(join(path, e));
  } else {
    chmodSync(path, (st.mode & 0o777) | 0o444 | (st.mode & 0o100 ? 0o111 : 0));
  }
}

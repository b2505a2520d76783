// Runs the built wizard (bin/openclaw-token-wizard.js → dist/) the way a person would, in a
// sandbox whose env is realEnv(): no test-runner markers, the real `openclaw` first on PATH.
// Output is returned raw so tests can assert that no token is in it; print it only via redact().
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Sandbox } from './sandbox.js';
import { realEnv } from './real-openclaw.js';

export const WIZARD_BIN = join(process.cwd(), 'bin', 'openclaw-token-wizard.js');

export interface WizardRun {
  stdout: string;
  stderr: string;
  exitCode: number;
  ms: number;
}

export interface WizardOptions {
  env?: Record<string, string>;
  /** Directories put before everything else on PATH (e.g. a `docker` stub). */
  pathFirst?: string[];
  timeoutMs?: number;
  input?: string;
}

export function wizardEnv(sandbox: Sandbox, opts: WizardOptions = {}): NodeJS.ProcessEnv {
  const env = realEnv(sandbox, opts.env);
  if (opts.pathFirst?.length) env.PATH = `${opts.pathFirst.join(':')}:${env.PATH}`;
  return env;
}

export async function wizard(sandbox: Sandbox, args: string[], opts: WizardOptions = {}): Promise<WizardRun> {
  const t0 = Date.now();
  const r = await execa(process.execPath, [WIZARD_BIN, ...args], {
    env: wizardEnv(sandbox, opts),
    extendEnv: false,
    cwd: sandbox.cwd,
    reject: false,
    timeout: opts.timeoutMs ?? 200_000,
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : undefined,
  });
  return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: typeof r.exitCode === 'number' ? r.exitCode : -1, ms: Date.now() - t0 };
}

export interface JsonFinding {
  id: string;
  severity: string;
  title: string;
  detail: string;
  evidence: string[];
  fix: string[];
}

export interface JsonReport {
  healthy: boolean;
  gateway: { url: string; port: number; reachable: boolean; acceptedSource: string | null; version: string | null };
  sources: Array<{ id: string; kind: string; label: string; fingerprint: string | null; accepted: boolean | null; problems: string[] }>;
  findings: JsonFinding[];
  checks: Array<{ id: string; status: string; note: string; ms: number }>;
}

export async function diagnoseJson(sandbox: Sandbox, opts: WizardOptions = {}, extraArgs: string[] = []): Promise<{ run: WizardRun; report: JsonReport }> {
  const run = await wizard(sandbox, ['diagnose', '--json', ...extraArgs], opts);
  let report: JsonReport;
  try {
    report = JSON.parse(run.stdout) as JsonReport;
  } catch {
    throw new Error(`diagnose --json printed no JSON (exit ${run.exitCode}); stderr: ${run.stderr.slice(0, 500)}`);
  }
  return { run, report };
}

/** The tokenized dashboard URL the wizard hands out (`open --print --show-token`). */
export async function wizardDashboardUrl(sandbox: Sandbox, opts: WizardOptions = {}): Promise<{ url: string; run: WizardRun }> {
  const run = await wizard(sandbox, ['open', '--print', '--show-token'], opts);
  return { url: run.stdout.trim(), run };
}

export const ids = (r: JsonReport): string[] => r.findings.map((f) => f.id).sort();

/**
 * A `docker` stand-in: no engine here. It logs every call; `compose up` succeeds (so the wizard's
 * recreate step can be observed), everything else answers like a CLI without a daemon.
 */
export function dockerStub(dir: string): { dir: string; callsFile: string } {
  mkdirSync(dir, { recursive: true });
  const callsFile = join(dir, 'docker-calls.log');
  const script = `#!/bin/sh
echo "$*" >> '${callsFile}'
if [ "$1" = "compose" ] && [ "$2" = "up" ]; then echo "stub: compose up $*"; exit 0; fi
echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2
exit 1
`;
  writeFileSync(join(dir, 'docker'), script);
  chmodSync(join(dir, 'docker'), 0o755);
  return { dir, callsFile };
}

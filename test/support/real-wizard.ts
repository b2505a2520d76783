// Runs the built wizard (bin/openclaw-token-wizard.js → dist/) the way a person would, in a
// sandbox whose env is realEnv(): no test-runner markers, the real `openclaw` first on PATH.
// `diagnose --json` is support/cli.ts's diagnoseJson(realTarget(sandbox)).
// Output is returned raw so tests can assert that no token is in it; print it only via redact().
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { DiagnosisReport } from '../../src/diagnosis/types.js';
import { runCli, type CliRun, type CliTarget } from './cli.js';
import type { Sandbox } from './sandbox.js';
import { realEnv } from './real-openclaw.js';

/** What a run of the wizard against a real-openclaw sandbox returns (support/cli.ts). */
export type WizardRun = CliRun;
/** `diagnose --json`'s document. */
export type JsonReport = DiagnosisReport;

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

/** The real-openclaw sandbox as a CLI target: realEnv() (plus `opts`), its cwd, a generous time limit. */
export function realTarget(sandbox: Sandbox, opts: WizardOptions = {}): CliTarget {
  return { env: wizardEnv(sandbox, opts), cwd: sandbox.cwd, timeoutMs: opts.timeoutMs ?? 200_000 };
}

export function wizard(sandbox: Sandbox, args: string[], opts: WizardOptions = {}): Promise<WizardRun> {
  return runCli(realTarget(sandbox, opts), args, { input: opts.input });
}

/** The tokenized dashboard URL the wizard hands out (`open --print --show-token`). */
export async function wizardDashboardUrl(sandbox: Sandbox, opts: WizardOptions = {}): Promise<{ url: string; run: WizardRun }> {
  const run = await wizard(sandbox, ['open', '--print', '--show-token'], opts);
  return { url: run.stdout.trim(), run };
}

export const ids = (r: JsonReport): string[] => r.findings.map((f) => f.id).sort();

/**
 * A `docker` stand-in with the compose plugin and no engine. It logs every call; `compose version`
 * and `compose up` succeed (so the wizard's recreate step can be observed), everything else answers
 * like a CLI without a daemon.
 */
export function dockerStub(dir: string): { dir: string; callsFile: string } {
  mkdirSync(dir, { recursive: true });
  const callsFile = join(dir, 'docker-calls.log');
  const script = `#!/bin/sh
echo "$*" >> '${callsFile}'
if [ "$1" = "compose" ] && [ "$2" = "version" ]; then echo 2.29.7; exit 0; fi
if [ "$1" = "compose" ] && [ "$2" = "up" ]; then echo "stub: compose up $*"; exit 0; fi
echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2
exit 1
`;
  writeFileSync(join(dir, 'docker'), script);
  chmodSync(join(dir, 'docker'), 0o755);
  return { dir, callsFile };
}

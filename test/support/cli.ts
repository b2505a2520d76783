/**
 * The one way tests run the built CLI (`node bin/openclaw-token-wizard.js`, i.e. dist/; the
 * global setup refuses a dist/ older than src/): runCli, and diagnoseJson on top of it. Every
 * suite builds its own target (env + cwd): the e2e sandbox, the demo sandbox, the real-openclaw
 * sandbox. Async on purpose: a blocked event loop (spawnSync) would leave the test's own child
 * gateways as zombies that still look alive to `kill -0`.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { expect, inject } from 'vitest';
import type { DiagnosisReport } from '../../src/diagnosis/types.js';
export { canRunAsOtherUid, NO_PASSWD_UID } from './other-uid.js';

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
  /** Options for node itself, before the script (e.g. the measuring preload of support/measure.ts). */
  nodeArgs?: string[];
}

export interface CliRun {
  /** undefined when the process was killed (timeout) instead of exiting. */
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  ms: number;
}

export async function runCli(target: CliTarget, args: string[], opts: RunOptions = {}): Promise<CliRun> {
  const bin = opts.uid === undefined ? BIN : join(checkoutForOtherUid(), 'bin', 'openclaw-token-wizard.js');
  const t0 = Date.now();
  const r = await execa(process.execPath, [...(opts.nodeArgs ?? []), bin, ...args], {
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

/** Where another uid runs the CLI from: the checkout, or the copy the global setup made of it. */
function checkoutForOtherUid(): string {
  const staged = inject('otherUidCheckout');
  if (staged === undefined) throw new Error('no global setup ran (test/support/global-setup.ts): cannot run the wizard as another uid');
  return staged || REPO;
}

/**
 * `--debug` (or OTW_DEBUG non-empty): a log of the run written to a file, for a bug report or a
 * support ticket: the command, each diagnosis with every check's status and timing, the findings,
 * and an internal error's stack. Redacted like everything else: it is built from the diagnosis
 * report (fingerprints only) and passed through the redactor with every secret the run learned.
 * Where: `<state dir>/otw-logs/debug-<timestamp>.log` when the state dir exists (it is private
 * and holds the config already), else a fresh private temp directory; never the working directory.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DiagnosisReport } from './diagnosis/types.js';
import { redactText, type Secret } from './secret.js';

export class DebugLog {
  private readonly secrets = new Set<string>();
  private readonly t0 = Date.now();

  constructor(readonly path: string) {}

  /** Values to keep out of the log, as soon as the run learns them. */
  addSecrets(values: Iterable<Secret | string>): void {
    for (const v of values) this.secrets.add(typeof v === 'string' ? v : v.reveal());
  }

  line(event: string, text: string): void {
    const at = `+${String(Date.now() - this.t0).padStart(6)} ms`;
    const body = redactText(text, this.secrets).replace(/\n/g, '\n    ');
    try {
      appendFileSync(this.path, `${new Date().toISOString()} ${at} ${event.padEnd(9)} ${body}\n`, { mode: 0o600 });
    } catch {
      // A debug log that cannot be written must not break the run it describes.
    }
  }

  /** One diagnosis: how long it took, each check's status and time, the findings. */
  diagnosis(label: string, report: DiagnosisReport, ms: number): void {
    this.line('diagnose', `${label}: ${ms} ms, healthy=${report.healthy}, gateway ${report.gateway.url} accepts ${report.gateway.acceptedSource ?? 'none'}`);
    for (const c of report.checks) this.line('check', `${c.id.padEnd(24)} ${c.status.padEnd(4)} ${String(c.ms).padStart(5)} ms  ${c.note}`);
    for (const f of report.findings) this.line('finding', `${f.severity} ${f.id}: ${f.title}`);
  }

  read(): string {
    try {
      return redactText(readFileSync(this.path, 'utf8'), this.secrets);
    } catch {
      return '';
    }
  }
}

let active: DebugLog | null = null;

/** The run's debug log, when --debug or OTW_DEBUG asked for one. */
export function debugLog(): DebugLog | null {
  return active;
}

export function wantDebug(flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return !!flag || !!env.OTW_DEBUG?.trim();
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** Open the log (0600) in the state dir if it exists, else in a new private temp dir. */
export function startDebugLog(stateDir: string | null, now = new Date()): DebugLog {
  let dir: string;
  if (stateDir && existsSync(stateDir)) {
    dir = join(stateDir, 'otw-logs');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } else {
    dir = mkdtempSync(join(tmpdir(), 'otw-debug-'));
  }
  const path = join(dir, `debug-${stamp(now)}-${process.pid}.log`);
  closeSync(openSync(path, 'a', 0o600));
  active = new DebugLog(path);
  return active;
}

export function stopDebugLog(): void {
  active = null;
}

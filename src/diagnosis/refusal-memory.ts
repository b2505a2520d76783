/**
 * Refusals the wizard saw, kept for a minute so it does not present a refused token again.
 *
 * OpenClaw slows every failed login from this machine (a loopback client waits 0.25 s after its
 * first failure in a minute, doubling up to 5 s), and it counts the wizard's probes like any
 * other client's: ten diagnoses in a row against a gateway that refuses the config token took
 * 0.3 s, 0.6, 1.0, 2.0, 4.0, 5.1 s... and slowed the person's own CLI and browser just as much.
 *
 * A refusal is reused only while it must still hold: the same gateway run (its /readyz uptime
 * puts its start at the same moment; a restart, in-process or not, makes a new run), the same
 * token value (a sha256 digest of it is kept, never the value), the same config and state-dir
 * .env files (the gateway re-reads its auth from them when they change; a refusal seen right after
 * an edit is not kept, the gateway may not have taken the edit in yet), and at most 60 s old
 * (OpenClaw's failure window: after it a probe costs 0.25 s again, so a fresh one is worth it).
 * The report says when the refusal was seen. A dry run or `diagnose --from` never writes it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../actions/fs-safe.js';
import { readBoundedSync } from '../fs/read-bounded.js';
import { fetchGatewayStart } from '../gateway/health.js';
import type { ProbeResult } from '../gateway/types.js';

export const REFUSAL_MEMORY_MS = 60_000;
/** Two readings of one run's start differ by the time between reading the clock and the uptime. */
const SAME_RUN_TOLERANCE_MS = 2_000;
const MAX_ENTRIES = 32;
/**
 * OpenClaw applies a config edit to the running gateway after a short debounce: a refusal seen
 * within this long of an edit may predate the gateway taking it in, so it is not kept.
 */
export const CONFIG_SETTLE_MS = 5_000;
const SCHEMA = 1;

interface Entry {
  url: string;
  startedAt: number;
  stamp: string;
  digest: string;
  at: number;
  result: Omit<ProbeResult, 'remembered'>;
}

export interface RefusalMemoryOptions {
  /** OpenClaw's state dir: the memory lives in `otw-cache/` there, beside the wizard's backups. */
  stateDir: string;
  /** Files whose change may change the token the gateway enforces (config, state-dir .env). */
  watched: string[];
  /** The gateway's HTTP base URL, for /readyz. */
  httpUrl: string;
  timeoutMs: number;
  now?: () => number;
}

const digestOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

function newestChange(files: string[]): number {
  let newest = 0;
  for (const f of files) {
    try {
      const st = statSync(f);
      newest = Math.max(newest, st.mtimeMs);
    } catch {
      // a missing file has no change time
    }
  }
  return newest;
}

/** Identity and size and time of each watched file: any edit, rename or replacement changes it. */
function stampOf(files: string[]): string {
  return files
    .map((f) => {
      try {
        const st = statSync(f);
        return `${f}:${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
      } catch {
        return `${f}:-`;
      }
    })
    .join('|');
}

function isEntry(x: unknown): x is Entry {
  const e = x as Entry;
  return (
    !!e &&
    typeof e.url === 'string' &&
    typeof e.startedAt === 'number' &&
    typeof e.stamp === 'string' &&
    typeof e.digest === 'string' &&
    typeof e.at === 'number' &&
    !!e.result &&
    e.result.kind === 'rejected'
  );
}

export class RefusalMemory {
  private readonly file: string;
  private readonly now: () => number;
  private entries: Entry[];
  private start: Promise<number | null> | null = null;

  constructor(private readonly opts: RefusalMemoryOptions) {
    this.file = join(opts.stateDir, 'otw-cache', 'refusals.json');
    this.now = opts.now ?? Date.now;
    this.entries = this.load();
  }

  private load(): Entry[] {
    const r = readBoundedSync(this.file, { maxBytes: 64 * 1024 });
    if (!r.ok) return [];
    try {
      const doc = JSON.parse(r.text) as { schema?: unknown; entries?: unknown };
      if (doc.schema !== SCHEMA || !Array.isArray(doc.entries)) return [];
      return doc.entries.filter(isEntry).filter((e) => this.now() - e.at < REFUSAL_MEMORY_MS && e.at <= this.now());
    } catch {
      return [];
    }
  }

  /** When the gateway answering on the URL started, asked once per diagnosis and only when needed. */
  private gatewayStart(): Promise<number | null> {
    this.start ??= fetchGatewayStart(this.opts.httpUrl, this.opts.timeoutMs, this.now);
    return this.start;
  }

  /** The refusal of this exact value by this gateway run, if it was seen under a minute ago. */
  async recall(url: string, token: string): Promise<ProbeResult | null> {
    const digest = digestOf(token);
    const candidates = this.entries.filter((e) => e.url === url && e.digest === digest);
    if (!candidates.length) return null;
    const stamp = stampOf(this.opts.watched);
    const startedAt = await this.gatewayStart();
    if (startedAt === null) return null;
    const e = candidates.find((c) => c.stamp === stamp && Math.abs(c.startedAt - startedAt) <= SAME_RUN_TOLERANCE_MS);
    return e ? { ...e.result, ms: 0, remembered: { at: new Date(e.at).toISOString() } } : null;
  }

  /** Keep a refusal of the token by the gateway (only a plain "wrong token" is kept). */
  async remember(url: string, token: string, result: ProbeResult): Promise<void> {
    if (result.kind !== 'rejected' || result.reject !== 'token-mismatch' || result.remembered) return;
    if (this.now() - newestChange(this.opts.watched) < CONFIG_SETTLE_MS) return;
    const startedAt = await this.gatewayStart();
    if (startedAt === null) return;
    const digest = digestOf(token);
    const { remembered: _unused, ...plain } = result;
    void _unused;
    const entry: Entry = { url, startedAt, stamp: stampOf(this.opts.watched), digest, at: this.now(), result: plain };
    this.entries = [...this.entries.filter((e) => !(e.url === url && e.digest === digest)), entry].slice(-MAX_ENTRIES);
    try {
      mkdirSync(join(this.opts.stateDir, 'otw-cache'), { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.file, `${JSON.stringify({ schema: SCHEMA, entries: this.entries })}\n`);
    } catch {
      // A memory that cannot be written only costs the next run one more probe.
    }
  }
}
